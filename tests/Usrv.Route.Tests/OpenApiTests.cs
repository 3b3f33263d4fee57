using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>The OpenAPI 3.1 description of a router's bindings (issue 13): GET /openapi.json and Router.DescribeOpenApi.</summary>
public sealed class OpenApiTests
{
    public enum Shade { Light, Dark }

    public sealed class Order
    {
        public required string Item { get; set; }
        public int Count { get; set; }
        public Order? Next { get; set; }
    }

    public readonly record struct Point(double X, double Y);

    public static class Shop
    {
        [Bind("/orders", "POST")]
        public static (int, Order) Place(Order order) => (200, order);

        [Bind("/points", "PUT")]
        public static (int, double) Put(Point point) => (200, point.X);

        [Bind("/orders/<int:id>")]
        public static (int, int, Shade) Show(int id, Shade shade = Shade.Dark, int[]? tags = null) => (200, id, shade);

        [Bind("/files/<path:rest>")]
        public static (int, string) File(string rest) => (200, rest);

        [Bind("/upload", "POST")]
        public static (int, bool) Upload(FormData? form) => (200, form is null);

        [Bind("/items/<id>")]
        public static (int, long) Item(long id, int q, string? note) => (200, id + q);

        [Bind("/partners", "GET", "POST")]
        [RequireSender("partners")]
        public static (int, string) Partners(object? data) => (200, "ok");

        [Bind("/any")]
        [RequireSender]
        public static object Any(CancellationToken cancel, UsrvRequest request) => 200;
    }

    private static Router ShopRouter(RouterOptions? options = null)
    {
        options ??= new RouterOptions();
        options.Senders["partners"] = [];
        return new Router(options).BindType(typeof(Shop));
    }

    private static async Task<JsonElement> Served(Router router)
    {
        var answer = await router.Get("/openapi.json");
        Assert.Equal(200, answer.Status);
        Assert.Equal("application/json; charset=utf-8", answer.ContentType);
        return answer.Json();
    }

    private static JsonElement Parameter(JsonElement operation, string name, string location) =>
        operation.GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name && p.GetProperty("in").GetString() == location);

    [Fact]
    public async Task The_document_is_openapi_3_1_with_the_title_and_version_of_the_options()
    {
        var doc = await Served(ShopRouter(new RouterOptions { OpenApiTitle = "shop", OpenApiVersion = "2.0" }));
        Assert.StartsWith("3.1.", doc.GetProperty("openapi").GetString());
        Assert.Equal("shop", doc.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("2.0", doc.GetProperty("info").GetProperty("version").GetString());
    }

    [Fact]
    public async Task By_default_the_title_is_usrv_and_the_version_usrv_s_own()
    {
        var doc = await Served(new Router());
        var version = typeof(Router).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal("usrv", doc.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal(version, doc.GetProperty("info").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Typed_captures_are_path_parameters_of_their_json_schema_type()
    {
        var doc = await Served(ShopRouter());
        var show = doc.GetProperty("paths").GetProperty("/orders/{id}").GetProperty("get");
        var id = Parameter(show, "id", "path");
        Assert.True(id.GetProperty("required").GetBoolean());
        Assert.Equal("integer", id.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("int32", id.GetProperty("schema").GetProperty("format").GetString());
        // The query may override the path value (usrv): the same name in the query, optional.
        Assert.False(Parameter(show, "id", "query").TryGetProperty("required", out var required) && required.GetBoolean());
        // A typed segment that does not parse does not match: 404.
        Assert.True(show.GetProperty("responses").TryGetProperty("404", out _));
    }

    [Fact]
    public async Task A_str_capture_read_by_a_typed_parameter_takes_that_type()
    {
        var doc = await Served(ShopRouter());
        var item = doc.GetProperty("paths").GetProperty("/items/{id}").GetProperty("get");
        Assert.Equal("int64", Parameter(item, "id", "path").GetProperty("schema").GetProperty("format").GetString());
        var q = Parameter(item, "q", "query");
        Assert.True(q.GetProperty("required").GetBoolean()); // an int without default: 400 when missing
        Assert.Equal("integer", q.GetProperty("schema").GetProperty("type").GetString());
        var note = Parameter(item, "note", "query"); // a string takes null when missing (usrv): optional
        Assert.False(note.TryGetProperty("required", out var required) && required.GetBoolean());
        Assert.Equal("string", note.GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_path_capture_is_a_string_that_says_it_spans_segments()
    {
        var doc = await Served(ShopRouter());
        var rest = Parameter(doc.GetProperty("paths").GetProperty("/files/{rest}").GetProperty("get"), "rest", "path");
        Assert.Equal("string", rest.GetProperty("schema").GetProperty("type").GetString());
        Assert.Contains("rest of the path", rest.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Query_parameters_carry_types_defaults_enums_and_arrays_and_optional_ones_are_not_required()
    {
        var doc = await Served(ShopRouter());
        var show = doc.GetProperty("paths").GetProperty("/orders/{id}").GetProperty("get");
        var shade = Parameter(show, "shade", "query");
        Assert.False(shade.TryGetProperty("required", out var r) && r.GetBoolean());
        Assert.Equal("Dark", shade.GetProperty("schema").GetProperty("default").GetString());
        Assert.Equal(["Light", "Dark"], shade.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var tags = Parameter(show, "tags", "query");
        Assert.Equal("array", tags.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("integer", tags.GetProperty("schema").GetProperty("items").GetProperty("type").GetString());
        // style form with explode, OpenAPI 3.1's default for query parameters (the writer leaves defaults out): ?tags=1&tags=2
        Assert.Equal("form", tags.TryGetProperty("style", out var style) ? style.GetString() : "form");
        Assert.True(!tags.TryGetProperty("explode", out var explode) || explode.GetBoolean());
    }

    [Fact]
    public async Task A_json_bound_parameter_is_a_json_body_described_as_a_component()
    {
        var doc = await Served(ShopRouter());
        var place = doc.GetProperty("paths").GetProperty("/orders").GetProperty("post");
        var body = place.GetProperty("requestBody");
        // A class takes null when the body is empty (usrv's rule for a missing value): the body is optional.
        Assert.False(body.TryGetProperty("required", out var required) && required.GetBoolean());
        var reference = body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        Assert.Equal("#/components/schemas/Order", reference);
        var order = doc.GetProperty("components").GetProperty("schemas").GetProperty("Order");
        Assert.Equal("string", order.GetProperty("properties").GetProperty("item").GetProperty("type").GetString());
        Assert.Equal("integer", order.GetProperty("properties").GetProperty("count").GetProperty("type").GetString());
        Assert.Equal("#/components/schemas/Order", order.GetProperty("properties").GetProperty("next").GetProperty("$ref").GetString());
        Assert.Equal(["item"], order.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        // The reply (200, order) is the order itself; a JSON body can be refused as 415 (multipart) and 413 (too large).
        Assert.Equal(reference, place.GetProperty("responses").GetProperty("200").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(place.GetProperty("responses").TryGetProperty("415", out _));
        Assert.True(place.GetProperty("responses").TryGetProperty("413", out _));
    }

    [Fact]
    public async Task A_struct_read_from_json_is_a_required_body()
    {
        var doc = await Served(ShopRouter());
        var body = doc.GetProperty("paths").GetProperty("/points").GetProperty("put").GetProperty("requestBody");
        Assert.True(body.GetProperty("required").GetBoolean());
        Assert.Equal("#/components/schemas/Point", body.GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task A_form_data_parameter_is_a_multipart_body()
    {
        var doc = await Served(ShopRouter());
        var content = doc.GetProperty("paths").GetProperty("/upload").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["multipart/form-data"], content.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Problems_are_rfc9457_problem_details_from_one_component()
    {
        var doc = await Served(ShopRouter());
        var responses = doc.GetProperty("paths").GetProperty("/orders/{id}").GetProperty("get").GetProperty("responses");
        foreach (var status in new[] { "400", "404", "500" })
        {
            var schema = responses.GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            Assert.Equal("#/components/schemas/ProblemDetails", schema.GetProperty("$ref").GetString());
        }
        var problem = doc.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        Assert.Equal(["type", "title", "status", "detail", "instance"], problem.EnumerateObject().Select(p => p.Name));
        Assert.Equal("about:blank", problem.GetProperty("type").GetProperty("default").GetString());
        // No sender policy here: no 401, and no security requirement.
        Assert.False(responses.TryGetProperty("401", out _));
        Assert.False(doc.GetProperty("paths").GetProperty("/orders/{id}").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Sender_policies_are_the_usrv2_security_requirement_with_the_set_as_role()
    {
        var doc = await Served(ShopRouter());
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("usrv2");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Contains("/.well-known/usrv-keys", scheme.GetProperty("description").GetString());
        var partners = doc.GetProperty("paths").GetProperty("/partners").GetProperty("post");
        Assert.Equal(["partners"], partners.GetProperty("security")[0].GetProperty("usrv2").EnumerateArray().Select(e => e.GetString()));
        Assert.True(partners.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(partners.GetProperty("responses").TryGetProperty("403", out _));
        var any = doc.GetProperty("paths").GetProperty("/any").GetProperty("get");
        Assert.Equal(0, any.GetProperty("security")[0].GetProperty("usrv2").GetArrayLength());
        Assert.False(any.GetProperty("responses").TryGetProperty("403", out _));
        // A request, a cancellation token: nothing for the client to send.
        Assert.False(any.TryGetProperty("parameters", out _));
    }

    [Fact]
    public async Task Operation_ids_are_type_and_method_unique_per_method()
    {
        var doc = await Served(ShopRouter());
        var paths = doc.GetProperty("paths");
        Assert.Equal("Shop.Place", paths.GetProperty("/orders").GetProperty("post").GetProperty("operationId").GetString());
        Assert.Equal("Shop.Partners_GET", paths.GetProperty("/partners").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("Shop.Partners_POST", paths.GetProperty("/partners").GetProperty("post").GetProperty("operationId").GetString());
        var ids = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value.GetProperty("operationId").GetString());
        Assert.Equal(ids.Count(), ids.Distinct().Count());
    }

    [Fact]
    public async Task The_document_reads_back_through_microsoft_openapi_without_errors_or_warnings()
    {
        var answer = await ShopRouter().Get("/openapi.json");
        var settings = new OpenApiReaderSettings();
        var result = OpenApiDocument.Parse(answer.BodyText, "json", settings);
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.Empty(result.Diagnostic.Warnings);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        var show = result.Document!.Paths["/orders/{id}"].Operations![HttpMethod.Get];
        var id = show.Parameters!.Single(p => p.Name == "id" && p.In == ParameterLocation.Path);
        Assert.Equal(JsonSchemaType.Integer, id.Schema!.Type);
    }

    [Fact]
    public async Task The_document_is_built_once_and_again_after_binding()
    {
        var router = ShopRouter();
        var first = await router.Get("/openapi.json");
        var again = await router.Get("/openapi.json");
        Assert.True(first.Body.Span.SequenceEqual(again.Body.Span));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first.Body, out var a));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(again.Body, out var b));
        Assert.Same(a.Array, b.Array); // the same bytes: not rebuilt per request
        router.Bind("/hello/<name>", (string name) => (200, name));
        var after = (await router.Get("/openapi.json")).Json();
        Assert.Equal("lambda_hello__name", after.GetProperty("paths").GetProperty("/hello/{name}").GetProperty("get")
            .GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task Built_in_endpoints_are_described_where_they_answer()
    {
        var doc = await Served(ShopRouter());
        Assert.Equal("usrv.puk", doc.GetProperty("paths").GetProperty("/puk").GetProperty("get").GetProperty("operationId").GetString());
        Assert.True(doc.GetProperty("paths").TryGetProperty("/.well-known/usrv-keys", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/openapi.json", out _));
        var hidden = await Served(new Router(new RouterOptions { PublishKeys = false }));
        Assert.False(hidden.GetProperty("paths").TryGetProperty("/puk", out _));
    }

    [Fact]
    public async Task Turned_off_it_is_a_404_and_a_binding_of_its_own_wins()
    {
        var off = await new Router(new RouterOptions { PublishOpenApi = false }).Get("/openapi.json");
        Assert.Equal(404, off.Status);
        var own = new Router().Bind("/openapi.json", () => (200, "mine"));
        Assert.Equal("\"mine\"", (await own.Get("/openapi.json")).BodyText);
    }

    [Fact]
    public void Describe_gives_the_model_to_change_or_merge()
    {
        var document = ShopRouter().DescribeOpenApi();
        Assert.Equal("/orders/{id}", OpenApiDocumentBuilderTemplate("/orders/<int:id>"));
        Assert.Contains("/orders/{id}", document.Paths.Keys);
        var json = Encoding.UTF8.GetString(OpenApiEndpoint.Serialize(document));
        Assert.Contains("\"openapi\": \"3.1", json);
    }

    private static string OpenApiDocumentBuilderTemplate(string pattern) => OpenApiDocumentBuilder.Template(RoutePattern.Parse(pattern));
}
