using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Usrv.Host.AspNetCore;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// usrv in ASP.NET Core's own OpenAPI (AddOpenApi, MapOpenApi, Microsoft.AspNetCore.OpenApi 10 on Microsoft.OpenApi 2):
/// options.AddUsrv(router, prefix) merges the router's document into the application's. This test project references
/// Microsoft.AspNetCore.OpenApi itself, so its source generator compiles here beside Usrv.Route's Microsoft.OpenApi.
/// </summary>
public sealed class UsrvOpenApiTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(
        Router router, string prefix, Action<OpenApiOptions>? more = null, Action<WebApplication>? endpoints = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOpenApi(o =>
        {
            o.AddUsrv(router, prefix);
            more?.Invoke(o);
        });
        var app = builder.Build();
        app.MapOpenApi();
        app.MapGet("/health", () => "ok");
        endpoints?.Invoke(app);
        if (prefix.Length == 0) app.MapUsrv(router);
        else app.MapUsrv(prefix, router);
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = UsrvHostFixture.RequestTimeout });
    }

    private static ReadResult ReadBack(string body)
    {
        var result = OpenApiDocument.Parse(body, "json", new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.Empty(result.Diagnostic.Warnings);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        return result;
    }

    [Fact]
    public async Task The_readme_example_serves_the_apps_paths_and_usrvs_under_the_prefix_in_one_document()
    {
        // As the README has it (Usrv.Host.AspNetCore's AddUsrv and MapUsrv).
        var router = new Router().BindType(typeof(DemoBindings));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOpenApi(options => options.AddUsrv(router, "/usrv"));   // the prefix given to MapUsrv below
        await using var app = builder.Build();
        app.MapOpenApi();
        app.MapGet("/health", () => "ok");
        app.MapUsrv("/usrv", router);
        await app.StartAsync();
        using (var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = UsrvHostFixture.RequestTimeout })
        {
            using var response = await client.GetAsync("/openapi/v1.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            using var doc = JsonDocument.Parse(body);
            Assert.StartsWith("3.1.", doc.RootElement.GetProperty("openapi").GetString());
            var paths = doc.RootElement.GetProperty("paths");
            Assert.True(paths.TryGetProperty("/health", out _)); // the app's own
            var pair = paths.GetProperty("/usrv/{b}/{a}").GetProperty("get");
            Assert.Equal("DemoBindings.Pair", pair.GetProperty("operationId").GetString());
            Assert.Equal("#/components/schemas/ProblemDetails", pair.GetProperty("responses").GetProperty("400").GetProperty("content")
                .GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.True(paths.TryGetProperty("/usrv/openapi.json", out _)); // the router's own document, where it is served
            Assert.True(paths.TryGetProperty("/usrv/kwargs", out var kwargs) && kwargs.TryGetProperty("post", out _));
            // MapUsrv's catch-all endpoint is not described itself.
            Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.Contains("usrvPath", StringComparison.Ordinal));
            Assert.True(doc.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));
            Assert.Contains(doc.RootElement.GetProperty("tags").EnumerateArray(), t => t.GetProperty("name").GetString() == "DemoBindings");

            var read = ReadBack(body).Document!;
            var b = read.Paths["/usrv/{b}/{a}"].Operations![HttpMethod.Get].Parameters!.Single(p => p.Name == "b" && p.In == ParameterLocation.Path);
            Assert.Equal(JsonSchemaType.Integer, b.Schema!.Type);
            // The paths answer where the document says.
            Assert.Equal("""["test",5]""", await client.GetStringAsync("/usrv/5/test"));
            Assert.Equal("ok", await client.GetStringAsync("/health"));
        }
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_a_prefix_the_paths_are_the_routers_and_the_apps_own_path_wins()
    {
        var router = new Router().BindType(typeof(DemoBindings));
        router.Bind("/health", () => (200, "usrv's"), "GET", "POST");
        var (app, client) = await StartAsync(router, "");
        await using var running = app;
        using (client)
        {
            var body = await client.GetStringAsync("/openapi/v1.json");
            using var doc = JsonDocument.Parse(body);
            var paths = doc.RootElement.GetProperty("paths");
            Assert.True(paths.TryGetProperty("/{b}/{a}", out _));
            var health = paths.GetProperty("/health");
            // The app's GET /health stays (it answers: ASP.NET Core routes there first); usrv's POST is added beside it.
            Assert.False(health.GetProperty("get").TryGetProperty("operationId", out var id) && id.GetString()!.StartsWith("lambda"));
            Assert.StartsWith("lambda_health", health.GetProperty("post").GetProperty("operationId").GetString());
            Assert.Equal("ok", await client.GetStringAsync("/health"));
            ReadBack(body);
        }
        await app.StopAsync();
    }

    [Fact]
    public async Task Components_the_app_names_otherwise_are_renamed_and_references_resolve_in_the_apps_document()
    {
        var options = new RouterOptions { SenderPolicy = new RequireSenderAttribute("partners") };
        options.Senders["partners"] = [];
        var router = new Router(options).BindType(typeof(DemoBindings));
        IOpenApiSchema? resolved = null;
        var (app, client) = await StartAsync(
            router,
            "/usrv",
            more: o => o.AddDocumentTransformer((document, _, _) =>
            {
                // A transformer after AddUsrv's sees the merged model, its references bound to the app's document.
                var schema = document.Paths["/usrv/{b}/{a}"].Operations![HttpMethod.Get].Responses!["400"].Content!["application/problem+json"]
                    .Schema;
                resolved = ((OpenApiSchemaReference)schema!).Target;
                return Task.CompletedTask;
            }),
            endpoints: a => a.MapGet("/fails", () => Results.Problem("no")).ProducesProblem(StatusCodes.Status400BadRequest));
        await using var running = app;
        using (client)
        {
            var body = await client.GetStringAsync("/openapi/v1.json");
            using var doc = JsonDocument.Parse(body);
            var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
            Assert.True(schemas.TryGetProperty("ProblemDetails", out var theirs)); // ASP.NET Core's, for /fails
            var ours = schemas.GetProperty("usrv.ProblemDetails");
            Assert.Contains("RFC 9457", ours.GetProperty("description").GetString());
            Assert.NotEqual(theirs.ToString(), ours.ToString());
            var pair = doc.RootElement.GetProperty("paths").GetProperty("/usrv/{b}/{a}").GetProperty("get");
            Assert.Equal("#/components/schemas/usrv.ProblemDetails", pair.GetProperty("responses").GetProperty("400").GetProperty("content")
                .GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.Equal("#/components/schemas/ProblemDetails", doc.RootElement.GetProperty("paths").GetProperty("/fails").GetProperty("get")
                .GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/problem+json")
                .GetProperty("schema").GetProperty("$ref").GetString());
            // The usrv/2 sender policy: the usrv2 scheme, and the requirement naming it with the set.
            var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("usrv2");
            Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
            Assert.Equal("partners", pair.GetProperty("security")[0].GetProperty("usrv2")[0].GetString());
            Assert.False(doc.RootElement.GetProperty("paths").GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
            Assert.NotNull(resolved);
            Assert.Contains("RFC 9457", resolved!.Description);
            ReadBack(body);
        }
        await app.StopAsync();
    }

    [Fact]
    public void Merge_renames_security_schemes_the_target_uses_otherwise_and_shares_identical_components()
    {
        var options = new RouterOptions { SenderPolicy = new RequireSenderAttribute() };
        var source = new Router(options).BindType(typeof(DemoBindings)).DescribeOpenApi();
        var target = new OpenApiDocument { Info = new OpenApiInfo { Title = "app", Version = "1" }, Paths = [] };
        target.AddComponent<IOpenApiSecurityScheme>("usrv2", new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer" });
        target.AddComponent("ProblemDetails", source.Components!.Schemas!["ProblemDetails"]);
        UsrvOpenApiDocumentTransformer.Merge(target, source, "/api");

        Assert.Equal(["usrv2", "usrv.usrv2"], target.Components!.SecuritySchemes!.Keys);
        Assert.Equal(["ProblemDetails"], target.Components.Schemas!.Keys); // the same: shared
        var requirement = target.Paths["/api/{b}/{a}"].Operations![HttpMethod.Get].Security![0];
        Assert.Equal("usrv.usrv2", requirement.Keys.Single().Reference.Id);
        using var text = new StringWriter();
        target.SerializeAsV31(new OpenApiJsonWriter(text));
        var read = ReadBack(text.ToString());
        Assert.Equal(SecuritySchemeType.ApiKey, read.Document!.Components!.SecuritySchemes!["usrv.usrv2"].Type);
    }

    [Fact]
    public void Add_usrv_refuses_nulls_and_normalizes_the_prefix_as_map_usrv_does()
    {
        Assert.Throws<ArgumentNullException>(() => new OpenApiOptions().AddUsrv(null!));
        Assert.Throws<ArgumentNullException>(() => ((OpenApiOptions)null!).AddUsrv(new Router()));
        Assert.Equal("/usrv", new UsrvOpenApiDocumentTransformer(new Router(), "usrv/").Prefix);
        Assert.Equal("", new UsrvOpenApiDocumentTransformer(new Router(), "/").Prefix);
    }
}
