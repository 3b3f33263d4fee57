using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Usrv.Host.AspNetCore;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// GET /openapi.json on every host, for usrv's demo bindings (<see cref="DemoBindings"/>): the OpenAPI 3.1 document the
/// router builds, checked field by field, and read back by Microsoft.OpenApi without errors or warnings.
/// </summary>
public abstract class OpenApiHostTests<TFixture>(TFixture server)
    where TFixture : RouterHostFixture, IRouterHostFixture<TFixture>
{
    private async Task<(HttpResponseMessage Response, string Body)> GetDocument(HttpClient client)
    {
        var response = await client.GetAsync("/openapi.json");
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Parameter(JsonElement operation, string name, string location) =>
        operation.GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name && p.GetProperty("in").GetString() == location);

    private static bool Required(JsonElement parameter) =>
        parameter.TryGetProperty("required", out var required) && required.GetBoolean();

    [Fact]
    public async Task The_demo_document_is_served_as_json_and_reads_back_without_errors_or_warnings()
    {
        var (response, body) = await GetDocument(server.Client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var result = OpenApiDocument.Parse(body, "json", new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.Empty(result.Diagnostic.Warnings);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        var pair = result.Document!.Paths["/{b}/{a}"].Operations![HttpMethod.Get];
        Assert.Equal("DemoBindings.Pair", pair.OperationId);
    }

    [Fact]
    public async Task The_pair_pattern_is_a_path_with_an_integer_b_and_a_string_a_which_the_query_may_override()
    {
        using var doc = JsonDocument.Parse((await GetDocument(server.Client)).Body);
        var pair = doc.RootElement.GetProperty("paths").GetProperty("/{b}/{a}").GetProperty("get");
        var b = Parameter(pair, "b", "path");
        Assert.True(Required(b));
        Assert.Equal("integer", b.GetProperty("schema").GetProperty("type").GetString());
        var a = Parameter(pair, "a", "path");
        Assert.True(Required(a));
        Assert.Equal("string", a.GetProperty("schema").GetProperty("type").GetString());
        Assert.False(Required(Parameter(pair, "a", "query")));
        Assert.False(Required(Parameter(pair, "b", "query")));
        Assert.False(pair.TryGetProperty("requestBody", out _)); // a GET
        var responses = pair.GetProperty("responses");
        Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(responses.TryGetProperty("404", out _)); // /abc/test: <int:b> does not match
        Assert.Equal("#/components/schemas/ProblemDetails", responses.GetProperty("400").GetProperty("content")
            .GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Test_vargs_and_kwargs_carry_their_query_parameters_defaults_and_free_form_values()
    {
        using var doc = JsonDocument.Parse((await GetDocument(server.Client)).Body);
        var paths = doc.RootElement.GetProperty("paths");
        var test = paths.GetProperty("/test").GetProperty("get");
        Assert.Equal(["a", "b"], test.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.All(test.GetProperty("parameters").EnumerateArray(), p => Assert.False(Required(p)));

        var vargs = paths.GetProperty("/vargs").GetProperty("get");
        Assert.Equal(1, Parameter(vargs, "b", "query").GetProperty("schema").GetProperty("default").GetInt32());
        Assert.Equal("integer", Parameter(vargs, "c", "query").GetProperty("schema").GetProperty("type").GetString());
        var args = Parameter(vargs, "args", "query");
        Assert.Equal("object", args.GetProperty("schema").GetProperty("type").GetString());
        Assert.Contains("*args", args.GetProperty("description").GetString());

        var kwargsGet = paths.GetProperty("/kwargs").GetProperty("get");
        var kwargsPost = paths.GetProperty("/kwargs").GetProperty("post");
        Assert.Equal("DemoBindings.Kwargs_GET", kwargsGet.GetProperty("operationId").GetString());
        Assert.Equal("DemoBindings.Kwargs_POST", kwargsPost.GetProperty("operationId").GetString());
        Assert.Equal(2, Parameter(kwargsGet, "b", "query").GetProperty("schema").GetProperty("default").GetInt32());
        Assert.Contains("**kwargs", Parameter(kwargsGet, "kwargs", "query").GetProperty("description").GetString());
        // usrv's data: a POST hands kwargs the body as sent; an optional body of any type.
        var body = kwargsPost.GetProperty("requestBody");
        Assert.False(body.TryGetProperty("required", out var required) && required.GetBoolean());
        Assert.True(body.GetProperty("content").TryGetProperty("*/*", out _));
        Assert.False(kwargsGet.TryGetProperty("requestBody", out _));
    }

    [Fact]
    public async Task Head_root_puk_and_the_406_and_500_demos_are_described_as_they_answer()
    {
        using var doc = JsonDocument.Parse((await GetDocument(server.Client)).Body);
        var paths = doc.RootElement.GetProperty("paths");
        var root = paths.GetProperty("/").GetProperty("head");
        Assert.Equal("DemoBindings.Root", root.GetProperty("operationId").GetString());
        Assert.False(root.GetProperty("responses").GetProperty("200").TryGetProperty("content", out _)); // HEAD: no body
        // The demo binds /puk itself: its binding is described, not the built-in one.
        Assert.Equal("DemoBindings.Puk", paths.GetProperty("/puk").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("usrv.keys", paths.GetProperty("/.well-known/usrv-keys").GetProperty("get").GetProperty("operationId").GetString());
        Assert.True(paths.GetProperty("/error_406").GetProperty("get").GetProperty("responses").TryGetProperty("406", out _));
        Assert.True(paths.GetProperty("/error_500").GetProperty("get").GetProperty("responses").TryGetProperty("500", out _));
        // No endpoint requires a sender here: no security scheme.
        Assert.False(doc.RootElement.GetProperty("components").TryGetProperty("securitySchemes", out _));
    }

    [Fact]
    public Task With_a_router_sender_policy_every_operation_requires_usrv2_with_the_set() =>
        TFixture.RunAsync(
            s =>
            {
                s.RouterOptions.Senders["partners"] = [];
                s.RouterOptions.SenderPolicy = new RequireSenderAttribute("partners");
            },
            async sealedOnly =>
            {
                using var doc = JsonDocument.Parse((await GetDocument(sealedOnly.Client)).Body);
                var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("usrv2");
                Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
                var pair = doc.RootElement.GetProperty("paths").GetProperty("/{b}/{a}").GetProperty("get");
                Assert.Equal("partners", pair.GetProperty("security")[0].GetProperty("usrv2")[0].GetString());
                Assert.True(pair.GetProperty("responses").TryGetProperty("401", out _));
                Assert.True(pair.GetProperty("responses").TryGetProperty("403", out _));
                // The built-in endpoints answer anyone.
                Assert.False(doc.RootElement.GetProperty("paths").GetProperty("/openapi.json").GetProperty("get")
                    .TryGetProperty("security", out _));
            });

    [Fact]
    public Task Turned_off_it_is_a_404() =>
        TFixture.RunAsync(
            s => s.RouterOptions.PublishOpenApi = false,
            async off =>
            {
                var (response, body) = await GetDocument(off.Client);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("/openapi.json", body);
            });
}

/// <summary>GET /openapi.json on the built-in host.</summary>
public sealed class ListenerHostOpenApiTests(ListenerHostFixture server)
    : OpenApiHostTests<ListenerHostFixture>(server), IClassFixture<ListenerHostFixture>;

/// <summary>GET /openapi.json on Kestrel through the ASP.NET Core adapter.</summary>
public sealed class KestrelHostOpenApiTests(KestrelHostFixture server)
    : OpenApiHostTests<KestrelHostFixture>(server), IClassFixture<KestrelHostFixture>;

/// <summary>The document under an ASP.NET Core application (MapUsrv) and the usrv command line's --no-openapi.</summary>
public sealed class OpenApiAppTests
{
    [Fact]
    public async Task Under_map_usrv_with_a_prefix_the_router_serves_its_document_below_the_prefix()
    {
        // The README's example: the app's own endpoints, usrv's under /usrv, usrv's document at /usrv/openapi.json.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapUsrv("/usrv", new Router().BindType(typeof(DemoBindings)));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = UsrvHostFixture.RequestTimeout };

        using var doc = JsonDocument.Parse(await client.GetStringAsync("/usrv/openapi.json"));
        Assert.True(doc.RootElement.GetProperty("paths").TryGetProperty("/{b}/{a}", out _)); // paths relative to the prefix
        Assert.Equal("""["test",5]""", await client.GetStringAsync("/usrv/5/test"));
        await app.StopAsync();
    }

    [Fact]
    public void No_openapi_is_a_flag_of_the_command_line()
    {
        Assert.False(UsrvCommand.Create().Parse([]).GetValue<bool>("--no-openapi"));
        Assert.True(UsrvCommand.Create().Parse(["--no-openapi"]).GetValue<bool>("--no-openapi"));
    }

    [Fact]
    public async Task Usrv_serves_the_document_and_with_no_openapi_answers_404()
    {
        foreach (var (flag, status) in new[] { ((string?)null, HttpStatusCode.OK), ("--no-openapi", HttpStatusCode.NotFound) })
        {
            int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            string[] args = flag is null ? ["-p", port.ToString()] : ["-p", port.ToString(), flag];
            await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, args);
            await usrv.WaitUntilServingAsync(baseAddress, TimeSpan.FromSeconds(20));
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout };
            using var response = await client.GetAsync("/openapi.json");
            Assert.Equal(status, response.StatusCode);
            usrv.Terminate();
            Assert.Equal(0, await usrv.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        }
    }
}
