using System.Net;
using System.Text;
using System.Text.Json;
using Usrv.Route.Client;

namespace Usrv.Route.Tests;

/// <summary>ErrorBody: one reading of error answers for Peer and the plugin clients.</summary>
public class ErrorBodyTests
{
    private static ErrorBody Read(int status, string? contentType, string body) =>
        ErrorBody.Read(status, contentType, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Problem_details_give_their_title_and_detail()
    {
        var answer = Read(404, "application/problem+json",
            "{\"type\":\"about:blank\",\"title\":\"Not here\",\"status\":404,\"detail\":\"no binding matches GET /nope\"}");

        Assert.Equal(404, answer.Status);
        Assert.Equal("Not here", answer.Title);
        Assert.Equal("no binding matches GET /nope", answer.Detail);
        var problem = Assert.IsType<Dictionary<string, object?>>(answer.Body);
        Assert.Equal(404L, problem["status"]);
        Assert.Equal(JsonValueKind.Object, answer.Json?.ValueKind);
        Assert.StartsWith("{\"type\":\"about:blank\"", answer.Text);
    }

    [Fact]
    public void A_json_object_without_problem_members_gives_the_reason_phrase_and_no_detail_but_its_text()
    {
        var answer = Read(409, "application/json", "{\"message\":\"the tea is cold\"}");

        Assert.Equal("Conflict", answer.Title);
        Assert.Null(answer.Detail);
        Assert.Equal("{\"message\":\"the tea is cold\"}", answer.Text);
        Assert.Equal("the tea is cold", answer.Json?.GetProperty("message").GetString());
    }

    [Fact]
    public void Plain_text_is_the_detail_and_the_text()
    {
        var answer = Read(502, "text/plain; charset=utf-8", "upstream down");

        Assert.Equal("Bad Gateway", answer.Title);
        Assert.Equal("upstream down", answer.Detail);
        Assert.Equal("upstream down", answer.Text);
        Assert.Equal("upstream down", answer.Body);
        Assert.Null(answer.Json);
    }

    [Fact]
    public void Text_is_read_in_its_charset()
    {
        var answer = ErrorBody.Read(400, "text/plain; charset=iso-8859-1", [(byte)'c', (byte)'a', (byte)'f', 0xE9]);

        Assert.Equal("café", answer.Detail);
        Assert.Equal("café", answer.Text);
    }

    [Fact]
    public void Json_sent_as_text_is_parsed_for_vendor_shapes_but_is_no_problem_details()
    {
        var answer = Read(400, "text/plain", "{\"title\":\"not a problem\",\"error\":\"Invalid request format.\"}");

        Assert.Equal("Bad Request", answer.Title); // problem details are named by their media type (RFC 9457)
        Assert.Equal("Invalid request format.", answer.Json?.GetProperty("error").GetString());
        Assert.Equal(answer.Text, answer.Detail);
    }

    [Fact]
    public void An_over_long_body_is_cut_to_500_characters()
    {
        var page = "<html>" + new string('x', 2000) + "</html>";

        var answer = Read(503, "text/html", page);

        Assert.Equal(ErrorBody.MaxTextLength + 3, answer.Detail!.Length);
        Assert.Equal(page[..500] + "...", answer.Detail);
        Assert.Equal(answer.Detail, answer.Text);
        Assert.Equal(page, answer.Body); // the decoded body stays whole
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var text = new string('a', 499) + "😀" + new string('b', 100);

        var answer = Read(500, "text/plain", text);

        Assert.Equal(new string('a', 499) + "...", answer.Detail);
    }

    [Fact]
    public void Problem_members_are_kept_whole()
    {
        var detail = new string('d', 800);

        var answer = Read(422, "application/problem+json", JsonSerializer.Serialize(new { title = "Unprocessable", detail }));

        Assert.Equal(detail, answer.Detail);
        Assert.EndsWith("...", answer.Text);
    }

    [Fact]
    public void A_binary_body_gives_no_text_and_stays_bytes()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];

        var answer = ErrorBody.Read(500, "application/octet-stream", png);

        Assert.Equal("Internal Server Error", answer.Title);
        Assert.Null(answer.Detail);
        Assert.Null(answer.Text);
        Assert.Null(answer.Json);
        Assert.Equal(png, answer.Body);
    }

    [Fact]
    public void Bytes_without_a_type_are_text_only_when_they_are_clean_utf8()
    {
        var text = ErrorBody.Read(503, null, Encoding.UTF8.GetBytes("Service down, try later\r\n"));
        var control = ErrorBody.Read(503, null, [(byte)'o', (byte)'k', 0x00, 0x01]);
        var invalid = ErrorBody.Read(503, null, [0xC3, 0x28]);

        Assert.Equal("Service down, try later\r\n", text.Text);
        Assert.Null(text.Detail); // the decoded body is bytes, as Peer decodes an untyped body
        Assert.Null(control.Text);
        Assert.Null(invalid.Text);
    }

    [Fact]
    public void An_empty_body_gives_the_reason_phrase_alone()
    {
        var answer = ErrorBody.Read(599, "application/json", []);

        Assert.Equal("Server Error", answer.Title);
        Assert.Null(answer.Detail);
        Assert.Null(answer.Text);
        Assert.Null(answer.Json);
        Assert.Null(answer.Body);
    }

    [Fact]
    public async Task A_peer_answer_is_read_with_its_decoded_value()
    {
        var handler = new FixedAnswer(HttpStatusCode.Conflict, "{\"title\":\"Conflict\",\"detail\":\"conflict: the tea is cold\"}");
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = handler });

        var response = await peer.SendAsync(new PeerCall(HttpMethod.Get, "/fail"));
        var answer = ErrorBody.Read(response);

        Assert.Equal(409, answer.Status);
        Assert.Equal("conflict: the tea is cold", answer.Detail);
        Assert.Same(response.Value, answer.Body);
    }

    [Fact]
    public async Task A_peer_call_exception_carries_what_the_reader_reads()
    {
        var handler = new FixedAnswer(HttpStatusCode.BadGateway, new string('z', 900), "text/plain");
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = handler });

        var error = await Assert.ThrowsAsync<UsrvCallException>(() => peer.GetAsync<object>("/slow"));

        Assert.Equal(502, error.Status);
        Assert.Equal("Bad Gateway", error.Title);
        Assert.Equal(new string('z', 500) + "...", error.Detail);
        Assert.False(error.IsAuthenticated);
    }

    private sealed class FixedAnswer(HttpStatusCode status, string body, string contentType = "application/problem+json")
        : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) });
    }
}
