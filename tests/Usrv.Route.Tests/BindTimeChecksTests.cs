using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Extensions.Logging;

namespace Usrv.Route.Tests;

/// <summary>
/// What binding refuses and what it warns about (DESIGN, Binding): a pattern that one tried before it shadows is a
/// <see cref="BindingException"/>; a capture no parameter reads and an assembly without [Bind] methods are warnings.
/// </summary>
public sealed class BindTimeChecksTests
{
    private static (int, object?) A(object? a) => (200, a);
    private static (int, object?) B(object? b) => (200, b);

    public static class SameShape
    {
        [Bind("/x/<a>")]
        public static (int, object?) First(object? a) => (200, a);

        [Bind("/x/<b>", "GET", "POST")]
        public static (int, object?) Second(object? b) => (200, b);
    }

    [Fact]
    public void Patterns_of_the_same_shape_on_a_shared_method_are_refused_naming_both_handlers_and_patterns()
    {
        var error = Assert.Throws<BindingException>(() => new Router().BindType(typeof(SameShape)));

        var type = typeof(SameShape).FullName;
        Assert.Equal(
            $"GET /x/<b> ({type}.Second) can never be reached: GET /x/<a> ({type}.First) is tried first and matches every path it " +
            "matches; make the patterns differ, or bind the narrower one first",
            error.Message);
    }

    [Theory]
    [InlineData("/<a>", "/<int:n>")]                    // str takes every int
    [InlineData("/<long:a>", "/<int:n>")]
    [InlineData("/<float:a>", "/<long:n>")]
    [InlineData("/<a>/<b>", "/x/<b>")]                  // a capture takes the literal
    [InlineData("/<int:a>/<b>", "/7/<b>")]              // an int capture takes a literal that is a number
    [InlineData("/files/<path:p>", "/files/<a>/<b>")]   // path takes the rest, however many segments
    [InlineData("/files/<path:p>", "/files/<path:q>")]
    public void A_pattern_an_earlier_one_covers_is_refused(string earlier, string later)
    {
        var router = new Router().Bind(earlier, A);

        var error = Assert.Throws<BindingException>(() => router.Bind(later, B));

        Assert.Contains($"GET {RoutePattern.Normalize(later)} (", error.Message);
        Assert.Contains($"can never be reached: GET {earlier} (", error.Message);
        Assert.Single(router.Bindings); // nothing bound
    }

    [Theory]
    [InlineData("/<int:n>", "/<a>")]                    // int first: "/abc" still reaches the str one
    [InlineData("/<int:n>", "/<long:a>")]
    [InlineData("/x/<b>", "/<a>/<b>")]                  // the literal one first
    [InlineData("/<a>/y", "/x/<b>")]                    // each takes paths the other does not
    [InlineData("/<int:a>/<b>", "/x/<b>")]              // "x" is no int
    [InlineData("/<a>", "/<a>/<b>")]                    // other lengths
    [InlineData("/files/<a>", "/files/<path:p>")]       // path takes deeper paths
    [InlineData("/<bool:a>", "/<int:n>")]               // "7" is no bool
    public void Patterns_that_each_have_paths_of_their_own_are_both_bound(string earlier, string later)
    {
        var router = new Router().Bind(earlier, A).Bind(later, B);

        Assert.Equal(2, router.Bindings.Count);
    }

    [Fact]
    public async Task The_same_shape_under_other_methods_is_reachable_and_answered()
    {
        var router = new Router().Bind("/x/<a>", A, "GET").Bind("/x/<b>", B, "POST");

        Assert.Equal("1", (await router.Send("POST", "/x/1")).Json().GetString());
        Assert.Equal(2, router.Bindings.Count);
    }

    [Fact]
    public void A_literal_path_is_looked_up_first_so_a_capture_beside_it_is_no_shadow()
    {
        var router = new Router().Bind("/<a>", A).Bind("/me", () => 200);

        Assert.Equal(2, router.Bindings.Count);
    }

    [Fact]
    public void A_head_binding_after_a_get_one_of_the_same_shape_is_refused_as_get_answers_head()
    {
        var router = new Router().Bind("/x/<a>", A, "GET");

        var error = Assert.Throws<BindingException>(() => router.Bind("/x/<b>", B, "HEAD"));

        Assert.StartsWith("HEAD /x/<b>", error.Message);
    }

    [Fact]
    public void A_method_added_later_to_an_earlier_pattern_that_shadows_a_binding_is_refused()
    {
        // "/x/<a>" is tried before "/x/<b>": giving it POST too would take every POST that "/x/<b>" answers.
        var router = new Router().Bind("/x/<a>", A, "GET").Bind("/x/<b>", B, "POST");

        var error = Assert.Throws<BindingException>(() => router.Bind("/x/<a>", A, "POST"));

        Assert.StartsWith("POST /x/<b>", error.Message);
    }

    [Fact]
    public void A_capture_no_parameter_reads_is_a_warning_naming_handler_pattern_and_capture()
    {
        var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));

        new Router(loggers: loggers).Bind("/u/<int:id>", (string? name) => (200, name));

        var warning = Assert.Single(logs.Lines, l => l.Category == Router.BindingLogCategory);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("/u/<int:id>", warning.Message);
        Assert.Contains("'id'", warning.Message);
        Assert.Contains(nameof(A_capture_no_parameter_reads_is_a_warning_naming_handler_pattern_and_capture), warning.Message);
    }

    [Fact]
    public void Captures_that_a_parameter_or_kwargs_or_args_takes_are_no_warning()
    {
        var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));

        new Router(loggers: loggers)
            .Bind("/a/<int:id>", (int id) => (200, id))
            .Bind("/b/<int:id>", (IDictionary<string, object?>? kwargs) => (200, kwargs))
            .Bind("/c/<int:id>", (params object?[] args) => (200, args));

        Assert.DoesNotContain(logs.Lines, l => l.Category == Router.BindingLogCategory);
    }

    [Fact]
    public void An_assembly_without_bind_methods_is_a_warning_naming_it()
    {
        var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var empty = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("NoBindingsHere"), AssemblyBuilderAccess.Run);

        var router = new Router(loggers: loggers).BindAssembly(empty);

        Assert.Empty(router.Bindings);
        var warning = Assert.Single(logs.Lines, l => l.Category == Router.BindingLogCategory);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("assembly NoBindingsHere has no [Bind] method: it adds no endpoint", warning.Message);
    }

    [RequireSender]
    public static class Sealed
    {
        [Bind("/sealed", "GET", "POST")]
        public static int Call() => 200;
    }

    [Fact]
    public void Endpoints_describe_methods_pattern_handler_and_sender_policy_in_the_order_bound()
    {
        var router = new Router().Bind("/<int:b>/<a>", (object? a, object? b) => (200, a, b)).BindType(typeof(Sealed));

        Assert.Collection(
            router.Endpoints,
            first =>
            {
                Assert.Equal(["GET"], first.Methods);
                Assert.Equal("/<int:b>/<a>", first.Pattern);
                Assert.Equal(EndpointDescription.AnyCaller, first.SenderPolicy);
            },
            second => Assert.Equal(
                new EndpointDescription(["GET", "POST"], "/sealed", $"{typeof(Sealed).FullName}.Call", "sealed calls").ToString(),
                second.ToString()));
    }
}
