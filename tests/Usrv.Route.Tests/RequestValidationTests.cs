using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>
/// The bytes usrv refuses itself, whatever host let them through (README, Limits and bad input): control characters in
/// the request-target, in header names and in header values (tab aside), and a <c>Content-Length</c> that is not plain digits.
/// </summary>
public class RequestValidationTests
{
    private static readonly Router Router = new Router()
        .Bind("/echo", (string? a) => (200, a))
        .Bind("/body", (UsrvRequest request) => (200, request.ContentLength), "POST");

    [Theory]
    [InlineData("/echo?a=\u0001", "0x01", 8)]
    [InlineData("/ec\u007Fho", "0x7F", 3)]
    [InlineData("/echo\u0000", "0x00", 5)]
    [InlineData("/echo?a=x\ty", "0x09", 9)]
    [InlineData("/echo?a=\r\n", "0x0D", 8)]
    [InlineData("/nope/\u001F", "0x1F", 6)]
    public async Task A_control_character_in_the_request_target_is_a_400(string target, string hex, int position)
    {
        var response = await Router.Get(target);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal($"the request-target has the control character {hex} at position {position}", response.Detail());
    }

    [Theory]
    [InlineData("a\u0001b", "0x01")]
    [InlineData("a\u007Fb", "0x7F")]
    [InlineData("a\rb", "0x0D")]
    [InlineData("a\nb", "0x0A")]
    [InlineData("\u0000", "0x00")]
    public async Task A_control_character_in_a_header_value_is_a_400_naming_the_header(string value, string hex)
    {
        var response = await Router.Send("GET", "/echo", headers: ("X-Note", value));

        Assert.Equal(400, response.Status);
        Assert.Equal($"header 'X-Note' has the control character {hex} in its value", response.Detail());
    }

    [Theory]
    [InlineData("X-No\u0001te")]
    [InlineData("X-Note\t")]
    [InlineData("\u007F")]
    public async Task A_control_character_in_a_header_name_is_a_400(string name)
    {
        var response = await Router.Send("GET", "/echo", headers: (name, "x"));

        Assert.Equal(400, response.Status);
        Assert.StartsWith("a header name has the control character 0x", response.Detail());
    }

    [Theory]
    [InlineData("a\tb")]
    [InlineData("été")]
    [InlineData("")]
    public async Task Tabs_and_other_bytes_in_header_values_pass(string value)
    {
        var response = await Router.Send("GET", "/echo?a=1", headers: ("X-Note", value));

        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("+5")]
    [InlineData("-5")]
    [InlineData("5, 5")]
    [InlineData("0x5")]
    [InlineData(" 5")]
    [InlineData("5.0")]
    [InlineData("")]
    [InlineData("٥")]
    public async Task A_Content_Length_that_is_not_plain_digits_is_a_400(string length)
    {
        var response = await Router.Send("POST", "/body", headers: ("Content-Length", length));

        Assert.Equal(400, response.Status);
        Assert.Equal(
            $"Content-Length '{length}' is not a number of bytes in plain decimal digits (RFC 9110 section 8.6)", response.Detail());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5")]
    [InlineData("005")]
    public async Task A_Content_Length_of_plain_digits_passes(string length)
    {
        var response = await Router.Send("POST", "/body", headers: ("Content-Length", length));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task The_limits_come_first_then_the_bytes_then_routing()
    {
        var options = new RouterOptions { MaxUrlLength = 16 };
        var router = new Router(options).Bind("/echo", (string? a) => (200, a));

        Assert.Equal(414, (await router.Get("/echo?a=" + new string('\u0001', 20))).Status);
        Assert.Equal(400, (await router.Get("/nope?\u0001")).Status); // refused before routing: not a 404
    }
}
