using Usrv.Route;

namespace Usrv.Route.Tests;

public class RouterTests
{
    public static class Api
    {
        [Bind("/test")]
        public static (int, object?, object?) Test(object? a, object? b) => (200, a, b);

        [Bind("/<int:b>/<a>")]
        public static (int, object?, object?) Pair(object? a, object? b) => (200, a, b);

        [Bind("/api/endpoint", "GET", "POST")]
        public static object Endpoint(string? a, int b = 2, IDictionary<string, object?>? kwargs = null) => (200, a, b, kwargs?["method"]);

        [Bind("/items", "POST")]
        public static (int, string) Create() => (201, "created");
    }

    private static readonly Router Router = new Router().BindType(typeof(Api));

    [Fact]
    public async Task Design_examples_answer_as_usrv_does()
    {
        Assert.Equal("[null,null]", (await Router.Get("/test")).BodyText);
        Assert.Equal("[\"Paris\",\"12\"]", (await Router.Get("/test?b=12&a=Paris")).BodyText);
        Assert.Equal("[\"test\",5]", (await Router.Get("/5/test")).BodyText);
        Assert.Equal("[\"2\",\"6\"]", (await Router.Get("/5/test?a=2&b=6")).BodyText);
        Assert.Equal(404, (await Router.Get("/abc/test")).Status);
        Assert.Equal("[\"x\",2,\"POST\"]", (await Router.Send("POST", "/api/endpoint?a=x")).BodyText);
    }

    [Fact]
    public async Task Trailing_slashes_and_absolute_targets_route_like_the_plain_path()
    {
        Assert.Equal(200, (await Router.Get("/test/")).Status);
        Assert.Equal("[\"1\",null]", (await Router.Get("http://example.org:5000/test?a=1")).BodyText);
    }

    [Fact]
    public async Task No_match_is_a_404_problem()
    {
        var response = await Router.Get("/nope");
        Assert.Equal(404, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("Not Found", response.Json().GetProperty("title").GetString());
        Assert.Equal("no binding matches GET /nope", response.Detail());
    }

    [Fact]
    public async Task A_path_bound_under_other_methods_is_a_405_with_allow()
    {
        var response = await Router.Send("DELETE", "/test");
        Assert.Equal(405, response.Status);
        Assert.Contains(new KeyValuePair<string, string>("Allow", "GET, HEAD"), response.Headers);

        var post = await Router.Get("/items");
        Assert.Contains(new KeyValuePair<string, string>("Allow", "POST"), post.Headers);
    }

    [Fact]
    public async Task Head_is_answered_by_every_get_binding()
    {
        var response = await Router.Send("HEAD", "/test?a=1");
        Assert.Equal(200, response.Status);
        Assert.Equal("[\"1\",null]", response.BodyText); // the host sends the headers only
    }

    [Fact]
    public async Task Lambdas_and_method_groups_bind_like_attributed_methods()
    {
        var router = new Router()
            .Bind("/hello/<name>", (string name) => (200, $"hello {name}"))
            .Bind("/add", Add, "GET", "POST")
            .Bind("/async/<int:n>", async (int n) => { await Task.Yield(); return (200, n * 2); })
            .Bind("/value-task", () => new ValueTask<(int, string)>((200, "vt")));
        Assert.Equal("\"hello bob\"", (await router.Get("/hello/bob")).BodyText);
        Assert.Equal("5", (await router.Send("POST", "/add?a=2&b=3")).BodyText);
        Assert.Equal("42", (await router.Get("/async/21")).BodyText);
        Assert.Equal("\"vt\"", (await router.Get("/value-task")).BodyText);
    }

    private static (int, int) Add(int a, int b) => (200, a + b);

    public static class Duplicates
    {
        [Bind("/same")] public static int First() => 200;
        [Bind("/same/")] public static int Second() => 200;
    }

    [Fact]
    public void A_second_binding_of_the_same_method_and_pattern_names_both_handlers()
    {
        var error = Assert.Throws<BindingException>(() => new Router().BindType(typeof(Duplicates)));
        Assert.Equal($"GET /same is bound twice: by {typeof(Duplicates).FullName}.First and by {typeof(Duplicates).FullName}.Second", error.Message);
    }

    [Fact]
    public async Task A_failed_bind_binds_nothing()
    {
        var router = new Router().BindType(typeof(Api));
        Assert.Throws<BindingException>(() => router.BindType(typeof(Duplicates)));
        Assert.Equal(4, router.Bindings.Count);
        Assert.Equal(404, (await router.Get("/same")).Status);
    }

    [Fact]
    public void The_same_pattern_may_be_bound_by_different_methods()
    {
        var router = new Router()
            .Bind("/thing", () => 200, "GET")
            .Bind("/thing", () => 201, "POST");
        Assert.Equal(2, router.Bindings.Count);
    }

    [Fact]
    public void Instance_methods_marked_bind_are_refused()
    {
        var error = Assert.Throws<BindingException>(() => new Router().BindType(typeof(WithInstanceMethod)));
        Assert.Contains("must be static", error.Message);
    }

    public class WithInstanceMethod
    {
        [Bind("/i")] public int I() => 200;
    }

    [Fact]
    public async Task BindAssembly_finds_every_bind_method_of_an_assembly()
    {
        var router = new Router().BindAssembly(typeof(Usrv.Samples.Greetings).Assembly);
        Assert.Equal(5, router.Bindings.Count);
        Assert.Equal("\"hello bob\"", (await router.Get("/user/bob")).BodyText);
        Assert.Equal("5", (await router.Get("/add/2/3")).BodyText);
    }

    [Fact]
    public void BindAssembly_of_an_assembly_with_a_bad_binding_binds_nothing()
    {
        var router = new Router();
        Assert.Throws<BindingException>(() => router.BindAssembly(typeof(RouterTests).Assembly)); // this test assembly holds unbindable classes on purpose
        Assert.Empty(router.Bindings);
    }
}
