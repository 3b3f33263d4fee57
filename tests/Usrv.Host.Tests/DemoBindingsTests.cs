using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Usrv.Host.Tests;

/// <summary>
/// usrv's demo bindings (<see cref="DemoBindings"/>, usrv's own <c>route.py</c>) answered over real loopback sockets.
/// Written against any <see cref="UsrvHostFixture"/>, so every host kind gets the same checks: derive a class per host.
/// </summary>
public abstract class DemoBindingsTests<TFixture>(TFixture server) where TFixture : UsrvHostFixture
{
    private HttpClient Client => server.Client;

    private static async Task<(HttpStatusCode Status, string Body)> Get(HttpClient client, string target)
    {
        using var response = await client.GetAsync(target);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/test", """[null,null]""")]
    [InlineData("/test?b=12&a=Paris", """["Paris","12"]""")]  // query values are strings for object parameters
    [InlineData("/5/test", """["test",5]""")]                  // path values keep the type of their pattern: <int:b>
    [InlineData("/5/test?a=2&b=6", """["2","6"]""")]           // a query value overrides the path value of the same name
    public async Task Values_come_from_the_query_and_the_path(string target, string json)
    {
        using var response = await Client.GetAsync(target);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(json, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_typed_segment_that_does_not_parse_does_not_match()
    {
        var (status, body) = await Get(Client, "/abc/test");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("/abc/test", body);
    }

    [Fact]
    public async Task Params_args_catch_unexpected_values_then_method_headers_and_data()
    {
        var (status, body) = await Get(Client, "/vargs?a=x&unexpected=there");

        Assert.Equal(HttpStatusCode.OK, status);
        // ["x",1,0,["there","GET",{...headers...},null]]
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(4, answer.GetArrayLength());
        Assert.Equal("x", answer[0].GetString());
        Assert.Equal(1, answer[1].GetInt32());
        Assert.Equal(0, answer[2].GetInt32());
        var args = answer[3];
        Assert.Equal(4, args.GetArrayLength());
        Assert.Equal("there", args[0].GetString());
        Assert.Equal("GET", args[1].GetString());
        AssertHeaders(args[2]);
        Assert.Equal(JsonValueKind.Null, args[3].ValueKind);
    }

    [Fact]
    public async Task A_kwargs_dictionary_catches_unexpected_values_by_name_plus_method_headers_and_data()
    {
        var (status, body) = await Get(Client, "/kwargs?name=n&a=x&unexpected=there");

        Assert.Equal(HttpStatusCode.OK, status);
        // ["n","x",2,{"unexpected":"there","method":"GET","headers":{...},"data":null}]
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(4, answer.GetArrayLength());
        Assert.Equal("n", answer[0].GetString());
        Assert.Equal("x", answer[1].GetString());
        Assert.Equal(2, answer[2].GetInt32());
        var kwargs = answer[3];
        Assert.Equal(["unexpected", "method", "headers", "data"], kwargs.EnumerateObject().Select(p => p.Name));
        Assert.Equal("there", kwargs.GetProperty("unexpected").GetString());
        Assert.Equal("GET", kwargs.GetProperty("method").GetString());
        AssertHeaders(kwargs.GetProperty("headers"));
        Assert.Equal(JsonValueKind.Null, kwargs.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task A_json_body_reaches_kwargs_data_as_text()
    {
        using var content = new StringContent("""{"k":1}""", Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/kwargs?name=n", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("n", answer[0].GetString());
        Assert.Equal(JsonValueKind.Null, answer[1].ValueKind);
        Assert.Equal(2, answer[2].GetInt32());
        var kwargs = answer[3];
        Assert.Equal("POST", kwargs.GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.String, kwargs.GetProperty("data").ValueKind);
        Assert.Equal("""{"k":1}""", kwargs.GetProperty("data").GetString());
        Assert.Equal("application/json; charset=utf-8", kwargs.GetProperty("headers").GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task A_value_that_does_not_convert_is_a_400_problem_naming_the_parameter()
    {
        using var response = await Client.GetAsync("/vargs?a=x&b=notanint");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("Bad Request", problem.GetProperty("title").GetString());
        Assert.Matches(@"\bb\b", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_answer_without_a_status_is_406()
    {
        using var response = await Client.GetAsync("/error_406");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(406, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_handler_that_throws_is_a_500_without_the_exception_text()
    {
        using var response = await Client.GetAsync("/error_500");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(500, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("demo failure", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at ", body);
    }

    [Fact]
    public async Task A_path_bound_under_other_methods_is_405_with_Allow()
    {
        using var response = await Client.DeleteAsync("/test");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Contains("HEAD", response.Content.Headers.Allow);
        Assert.DoesNotContain("DELETE", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task An_unbound_path_is_404_problem()
    {
        using var response = await Client.GetAsync("/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Head_root_answers_200_so_that_clients_can_check_the_server_is_up()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Head_on_a_get_binding_answers_the_headers_of_get_without_a_body()
    {
        using var get = await Client.GetAsync("/test?b=12&a=Paris");
        using var request = new HttpRequestMessage(HttpMethod.Head, "/test?b=12&a=Paris");
        using var head = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);

        // On the wire: a Content-Length of the GET body, and no byte after the headers.
        var raw = await RawHttp.ExchangeAsync(server.BaseAddress, "HEAD /test?b=12&a=Paris HTTP/1.1");
        Assert.True(raw.Closed, raw.ToString());
        Assert.Equal(200, raw.Status);
        Assert.Equal("""["Paris","12"]""".Length.ToString(), raw.Header("Content-Length"));
        Assert.Equal("", raw.Body);
    }

    private static void AssertHeaders(JsonElement headers)
    {
        Assert.Equal(JsonValueKind.Object, headers.ValueKind);
        var names = headers.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("host", names);
        Assert.All(names, name => Assert.Equal(name.ToLowerInvariant(), name));
    }
}

/// <summary>The demo bindings on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostDemoBindingsTests(ListenerHostFixture server)
    : DemoBindingsTests<ListenerHostFixture>(server), IClassFixture<ListenerHostFixture>;

/// <summary>The same demo bindings on Kestrel through the ASP.NET Core adapter: both hosts answer alike.</summary>
public sealed class KestrelHostDemoBindingsTests(KestrelHostFixture server)
    : DemoBindingsTests<KestrelHostFixture>(server), IClassFixture<KestrelHostFixture>;
