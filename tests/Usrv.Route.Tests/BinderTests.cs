using System.Text.Json;
using Usrv.Route;

namespace Usrv.Route.Tests;

public class BinderTests
{
    public enum Color { Red, Green }

    public record Order(string Item, int Quantity);

    public static class Api
    {
        [Bind("/typed")]
        public static (int, object) Typed(int i, long l, double d, bool flag, Guid id, Color color, decimal price = 1.5m) =>
            (200, new object[] { i, l, d, flag, id, color.ToString(), price });

        [Bind("/nullable")]
        public static (int, object?, object?) Nullable(int? count, string? name) => (200, count, name);

        [Bind("/required")]
        public static (int, int) Required(int n) => (200, n);

        [Bind("/many")]
        public static (int, int[], List<string>?) Many(int[] id, List<string>? tag = null) => (200, id, tag);

        [Bind("/path/<int:n>")]
        public static (int, long, object?) PathTyped(long n, object? other) => (200, n, other);

        [Bind("/both/<x>")]
        public static (int, object?[], IDictionary<string, object?>?) Both(params object?[] args) => (200, args, null);

        [Bind("/usrv/<x>")]
        public static (int, string, object?) UsrvNames(string method, Dictionary<string, string> headers, object? data = null) => (200, method, headers.GetValueOrDefault("x-test"));

        [Bind("/order", "POST")]
        public static (int, string, int) PlaceOrder(Order order, bool express = false) => (200, order.Item, order.Quantity);

        [Bind("/bytes", "POST")]
        public static (int, int) Bytes(byte[] data) => (200, data.Length);

        [Bind("/request")]
        public static (int, string) Request(UsrvRequest request, CancellationToken token) => (200, request.Target);
    }

    private static readonly Router Router = new Router().BindType(typeof(Api));

    [Fact]
    public async Task Query_values_are_converted_to_the_declared_types()
    {
        var id = Guid.NewGuid();
        var response = await Router.Get($"/typed?i=-7&l=9000000000&d=2.5&flag=1&id={id}&color=green");
        Assert.Equal(200, response.Status);
        Assert.Equal($"[-7,9000000000,2.5,true,\"{id}\",\"Green\",1.5]", response.BodyText);
    }

    [Theory]
    [InlineData("/typed?i=x&l=1&d=1&flag=true&id=5f2b5a4e-2d4c-4a51-9a51-3a1c2d9b0e11&color=red", "parameter 'i': 'x' is not a valid int")]
    [InlineData("/typed?i=1&l=1&d=1&flag=maybe&id=5f2b5a4e-2d4c-4a51-9a51-3a1c2d9b0e11&color=red", "parameter 'flag': 'maybe' is not a valid bool")]
    [InlineData("/typed?i=1&l=1&d=1&flag=true&id=nope&color=red", "parameter 'id': 'nope' is not a valid Guid")]
    [InlineData("/typed?i=1&l=1&d=1&flag=true&id=5f2b5a4e-2d4c-4a51-9a51-3a1c2d9b0e11&color=blue", "parameter 'color': 'blue' is not a valid Color")]
    [InlineData("/required", "missing required parameter 'n' (int)")]
    [InlineData("/many?id=1&id=two", "parameter 'id': 'two' is not a valid int")]
    public async Task A_value_that_cannot_be_converted_is_a_400_naming_the_parameter(string target, string detail)
    {
        var response = await Router.Get(target);
        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(detail, response.Detail());
    }

    [Fact]
    public async Task Missing_nullable_and_reference_parameters_are_null()
    {
        Assert.Equal("[null,null]", (await Router.Get("/nullable")).BodyText);
        Assert.Equal("[3,\"bo b\"]", (await Router.Get("/nullable?count=3&name=bo+b")).BodyText);
    }

    [Fact]
    public async Task The_last_repeated_value_wins_for_a_scalar_and_a_list_gets_them_all()
    {
        Assert.Equal("3", (await Router.Get("/required?n=1&n=2&n=3")).BodyText);
        Assert.Equal("[[1,2,3],[\"a\",\"b\"]]", (await Router.Get("/many?id=1&id=2&tag=a&id=3&tag=b")).BodyText);
        Assert.Equal("[[5],null]", (await Router.Get("/many?id=5")).BodyText);
    }

    [Fact]
    public async Task Path_values_are_converted_for_typed_parameters_and_query_values_override_them()
    {
        Assert.Equal("[12,null]", (await Router.Get("/path/12")).BodyText);
        Assert.Equal("[13,\"o\"]", (await Router.Get("/path/12?n=13&other=o")).BodyText);
    }

    [Fact]
    public async Task Args_gets_unexpected_query_values_then_path_values_then_method_headers_and_data()
    {
        var response = await Router.Send("GET", "/both/seg?q1=a&q2=b", headers: ("X-Test", "1"));
        var args = response.Json()[0];
        Assert.Equal("a", args[0].GetString());
        Assert.Equal("b", args[1].GetString());
        Assert.Equal("seg", args[2].GetString());
        Assert.Equal("GET", args[3].GetString());
        Assert.Equal("1", args[4].GetProperty("x-test").GetString());
        Assert.Equal(JsonValueKind.Null, args[5].ValueKind);
    }

    [Fact]
    public async Task Parameters_named_method_headers_and_data_get_what_usrv_passes_under_those_names()
    {
        var response = await Router.Send("GET", "/usrv/x?method=ignored", headers: ("X-Test", "yes"));
        Assert.Equal("[\"GET\",\"yes\"]", response.BodyText);
    }

    [Fact]
    public async Task One_complex_parameter_is_bound_from_a_json_body()
    {
        var response = await Router.Send("POST", "/order?express=true", "{\"item\":\"tea\",\"quantity\":2}", "application/json");
        Assert.Equal("[\"tea\",2]", response.BodyText);

        var bad = await Router.Send("POST", "/order", "{\"item\":", "application/json");
        Assert.Equal(400, bad.Status);
        Assert.StartsWith("parameter 'order': the body is not valid JSON for Order", bad.Detail());
    }

    [Fact]
    public async Task A_byte_array_named_data_gets_the_raw_body()
    {
        var response = await Router.Send("POST", "/bytes", "hello", "application/octet-stream");
        Assert.Equal("5", response.BodyText);
    }

    [Fact]
    public async Task The_request_and_a_cancellation_token_are_injected_by_type()
    {
        Assert.Equal("\"/request?x=1\"", (await Router.Get("/request?x=1")).BodyText);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        var router = new Router(new RouterOptions { MaxRequestBodyBytes = 4 }).BindType(typeof(Api));
        var response = await router.Send("POST", "/bytes", "hello", "application/octet-stream");
        Assert.Equal(413, response.Status);
        Assert.Contains("4 bytes", response.Detail());
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_a_400()
    {
        var request = new UsrvRequest("POST", "/bytes", RequestHeaders.Empty, new MemoryStream([1, 2, 3])) { ContentLength = 10 };
        var response = await Router.HandleAsync(request);
        Assert.Equal(400, response.Status);
        Assert.Contains("Content-Length says 10", response.Detail());
    }

    [Theory]
    [InlineData("/nullable?name=%zz")]
    [InlineData("/nullable?name=%4")]
    [InlineData("/nullable?name=%C3%28")]
    [InlineData("/path/%")]
    public async Task Malformed_percent_encoding_is_a_400(string target)
    {
        var response = await Router.Get(target);
        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task Percent_encoded_text_is_decoded_in_paths_and_queries()
    {
        var router = new Router().Bind("/hello/<name>", (string name, string? greeting) => (200, $"{greeting ?? "hello"} {name}"));
        Assert.Equal("\"héllo jo/sé\"", (await router.Get("/hello/jo%2Fs%C3%A9?greeting=h%C3%A9llo")).BodyText);
    }

    public static class Unbindable
    {
        public static class RefParameter
        {
            [Bind("/r")] public static int R(ref int x) => 200;
        }

        public static class TwoBodies
        {
            [Bind("/b", "POST")] public static int B(Order a, Order b) => 200;
        }

        public static class TypedParams
        {
            [Bind("/p")] public static int P(params int[] values) => 200;
        }
    }

    [Theory]
    [InlineData(typeof(Unbindable.RefParameter), "is ref/out/in")]
    [InlineData(typeof(Unbindable.TwoBodies), "only one parameter can be bound from the JSON body (a, b)")]
    [InlineData(typeof(Unbindable.TypedParams), "usrv's *args is 'params object?[]'")]
    public void Parameters_the_binder_cannot_fill_are_refused_at_bind_time(Type type, string message)
    {
        var error = Assert.Throws<BindingException>(() => new Router().BindType(type));
        Assert.Contains(message, error.Message);
    }
}
