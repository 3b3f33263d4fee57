using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>The README's examples, as written there.</summary>
public class ReadmeExamplesTests
{
    public record Order(string Item, int Quantity);

    public static class Api
    {
        [Bind("/test")]
        public static (int, object?, object?) Test(object? a, object? b) => (200, a, b);

        [Bind("/api/endpoint", "GET", "POST")]
        public static (int, string?, int) Endpoint(string? a, int b = 2) => (200, a, b);

        [Bind("/typed")]
        public static (int, int, bool) Typed(int count, bool flag = false) => (200, count * 2, flag);

        [Bind("/<int:b>/<a>")]
        public static (int, object?, object?) Pair(object? a, object? b) => (200, a, b);

        [Bind("/vargs")]
        public static (int, object?, int, int, object?[]) Vargs(object? a, int b = 1, int c = 0, params object?[] args) => (200, a, b, c, args);

        [Bind("/kwargs", "GET", "POST")]
        public static (int, object?, object?, int, IDictionary<string, object?>?) Kwargs(
            object? name, object? a, int b = 2, IDictionary<string, object?>? kwargs = null) => (200, name, a, b, kwargs);

        [Bind("/order", "POST")]
        public static (int, string, int) PlaceOrder(Order order) => (200, order.Item, order.Quantity);
    }

    private static Router CreateRouter()
    {
        var router = new Router().BindType(typeof(Api));
        router.Bind("/hello/<name>", (string name) => (200, $"hello {name}"));
        return router;
    }

    private readonly Router _router = CreateRouter();

    [Fact]
    public async Task Fast_and_simple()
    {
        Assert.Equal("[\"Paris\",\"12\"]", (await _router.Get("/test?b=12&a=Paris")).BodyText);
        Assert.Equal("[\"x\",2]", (await _router.Send("POST", "/api/endpoint?a=x")).BodyText);
        Assert.Equal("\"hello bob\"", (await _router.Get("/hello/bob")).BodyText);
    }

    [Fact]
    public async Task Values_from_the_query()
    {
        Assert.Equal("[42,true]", (await _router.Get("/typed?count=21&flag=true")).BodyText);
        Assert.Equal("parameter 'count': 'many' is not a valid int", (await _router.Get("/typed?count=many")).Detail());
        Assert.Equal("missing required parameter 'count' (int)", (await _router.Get("/typed")).Detail());
    }

    [Fact]
    public async Task Values_from_the_path()
    {
        Assert.Equal("[\"test\",5]", (await _router.Get("/5/test")).BodyText);
        Assert.Equal(404, (await _router.Get("/abc/test")).Status);
        Assert.Equal("[\"2\",\"6\"]", (await _router.Get("/5/test?a=2&b=6")).BodyText);
        Assert.Equal(200, (await _router.Get("/test/")).Status);
        Assert.Equal(400, (await _router.Get("/te%zz")).Status);
    }

    [Fact]
    public async Task Catching_unexpected_values()
    {
        var vargs = (await _router.Send("GET", "/vargs?a=x&unexpected=there", headers: ("Host", "127.0.0.1:5000"))).Json();
        Assert.Equal("x", vargs[0].GetString());
        Assert.Equal(1, vargs[1].GetInt32());
        Assert.Equal(0, vargs[2].GetInt32());
        Assert.Equal("there", vargs[3][0].GetString());
        Assert.Equal("GET", vargs[3][1].GetString());
        Assert.Equal("127.0.0.1:5000", vargs[3][2].GetProperty("host").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, vargs[3][3].ValueKind);

        var kwargs = (await _router.Get("/kwargs?name=n&a=x&unexpected=there")).Json();
        Assert.Equal("n", kwargs[0].GetString());
        Assert.Equal("x", kwargs[1].GetString());
        Assert.Equal(2, kwargs[2].GetInt32());
        Assert.Equal(["unexpected", "method", "headers", "data"], kwargs[3].EnumerateObject().Select(p => p.Name));
        Assert.Equal("there", kwargs[3].GetProperty("unexpected").GetString());

        var posted = (await _router.Send("POST", "/kwargs?name=n", "{\"k\":1}", "application/json")).Json();
        Assert.Equal("{\"k\":1}", posted[3].GetProperty("data").GetString());

        Assert.Equal("[\"tea\",2]", (await _router.Send("POST", "/order", "{\"item\":\"tea\",\"quantity\":2}", "application/json")).BodyText);
    }
}
