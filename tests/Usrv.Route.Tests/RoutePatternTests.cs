using Usrv.Route;

namespace Usrv.Route.Tests;

public class RoutePatternTests
{
    [Theory]
    [InlineData("test", "/test")]
    [InlineData("/test/", "/test")]
    [InlineData("/", "/")]
    [InlineData("", "/")]
    [InlineData("/a/b//", "/a/b")]
    public void Paths_are_normalised_as_usrv_does(string written, string normalised) =>
        Assert.Equal(normalised, RoutePattern.Normalize(written));

    [Fact]
    public void A_pattern_lists_its_captures_with_their_types()
    {
        var pattern = RoutePattern.Parse("/<int:b>/<a>/");
        Assert.Equal("/<int:b>/<a>", pattern.Text);
        Assert.Equal(["b", "a"], pattern.Captures.Select(c => c.Name));
        Assert.Equal(["int", "str"], pattern.Captures.Select(c => c.Type.Name));
        Assert.False(pattern.IsLiteral);
    }

    [Theory]
    [InlineData("/<int:b>/<a>", "5/test", true)]
    [InlineData("/<int:b>/<a>", "abc/test", false)]
    [InlineData("/<int:b>/<a>", "-3/test", true)]
    [InlineData("/<long:id>", "9000000000", true)]
    [InlineData("/<float:x>", "2.5", true)]
    [InlineData("/<float:x>", "two", false)]
    [InlineData("/<bool:on>", "true", true)]
    [InlineData("/<bool:on>", "yes", false)]
    [InlineData("/<guid:id>", "5f2b5a4e-2d4c-4a51-9a51-3a1c2d9b0e11", true)]
    [InlineData("/<guid:id>", "not-a-guid", false)]
    [InlineData("/files/<path:rest>", "files/a/b/c.txt", true)]
    [InlineData("/files/<path:rest>", "files", false)]
    [InlineData("/user/<name>", "user/bob/extra", false)]
    public void Typed_segments_match_only_values_of_their_type(string pattern, string path, bool matches)
    {
        var parsed = RoutePattern.Parse(pattern);
        var values = new RouteValue[parsed.Captures.Count];
        Assert.Equal(matches, parsed.TryMatch(path.Split('/'), values));
    }

    [Fact]
    public void Captures_keep_the_text_and_the_typed_value()
    {
        var parsed = RoutePattern.Parse("/<int:b>/<path:rest>");
        var values = new RouteValue[2];
        Assert.True(parsed.TryMatch(["42", "x", "y"], values));
        Assert.Equal(42, values[0].Typed);
        Assert.Equal("42", values[0].Raw);
        Assert.Equal("x/y", values[1].Typed);
    }

    [Theory]
    [InlineData("/<nope:x>", "unknown segment type 'nope'")]
    [InlineData("/<int:>", "needs a name")]
    [InlineData("/<a>/<a>", "appears twice")]
    [InlineData("/<path:p>/more", "must be the last segment")]
    [InlineData("/file<id>", "mixes text and a capture")]
    [InlineData("/a//b", "empty segment")]
    public void Malformed_patterns_are_refused_at_bind_time(string pattern, string message)
    {
        var error = Assert.Throws<BindingException>(() => RoutePattern.Parse(pattern));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("/files/<path:rest>", new[] { "files", "..", "etc" }, "parameter 'rest': the path '../etc' has a dot-segment")]
    [InlineData("/files/<path:rest>", new[] { "files", "", "a" }, "parameter 'rest': the path '/a' has an empty segment")]
    [InlineData("/<int:n>/<path:p>", new[] { "1", "a\\b" }, "parameter 'p': the path 'a\\b' has a backslash")]
    public void An_unsafe_path_capture_matches_and_is_refused_after_the_match(string pattern, string[] path, string detail)
    {
        var parsed = RoutePattern.Parse(pattern);
        var values = new RouteValue[parsed.Captures.Count];

        Assert.True(parsed.TryMatch(path, values));
        var refusal = parsed.Refusal(values);

        Assert.NotNull(refusal);
        Assert.Equal(400, refusal.Status);
        Assert.StartsWith(detail + "; ", refusal.Detail);
    }

    [Theory]
    [InlineData("/files/<path:rest>", new[] { "files", "a", "b.txt" })]
    [InlineData("/user/<name>", new[] { "user", ".." })]
    [InlineData("/static", new[] { "static" })]
    public void Safe_path_captures_and_other_patterns_are_not_refused(string pattern, string[] path)
    {
        var parsed = RoutePattern.Parse(pattern);
        var values = new RouteValue[parsed.Captures.Count];

        Assert.True(parsed.TryMatch(path, values));
        Assert.Null(parsed.Refusal(values));
    }
}
