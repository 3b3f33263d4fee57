using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>
/// DESIGN, Binding: a <c>&lt;path:name&gt;</c> capture never carries a dot-segment, a NUL, a backslash or an empty
/// segment after decoding; such a request is a 400 naming the capture (not a 404), so a handler can join the value to
/// a folder. Other captures are left as they were.
/// </summary>
public class PathCaptureTests
{
    private static readonly Router Router = new Router()
        .Bind("/files/<path:rest>", (string rest) => (200, rest))
        .Bind("/typed/<path:rest>", (object rest) => (200, rest))
        .Bind("/many/<path:rest>", (string[] rest) => (200, rest))
        .Bind("/loose/<path:rest>", (IDictionary<string, object?> kwargs) => (200, kwargs["rest"]))
        .Bind("/user/<name>", (string name) => (200, name))
        .Bind("/pair/<a>/<b>", (string a, string b) => (200, a + "|" + b));

    [Theory]
    [InlineData("/files/../../etc/passwd", "../../etc/passwd", "has a dot-segment")]
    [InlineData("/files/a/../../etc/passwd", "a/../../etc/passwd", "has a dot-segment")]
    [InlineData("/files/%2e%2e/etc/passwd", "../etc/passwd", "has a dot-segment")]
    [InlineData("/files/%2E%2E%2Fetc", "../etc", "has a dot-segment")]
    [InlineData("/files/./a", "./a", "has a dot-segment")]
    [InlineData("/files/a/%2e", "a/.", "has a dot-segment")]
    [InlineData("/files/a//b", "a//b", "has an empty segment")]
    [InlineData("/files//a", "/a", "has an empty segment")]
    [InlineData("/files/%2Fetc/passwd", "/etc/passwd", "has an empty segment")]
    [InlineData("/files/a%2F%2Fb", "a//b", "has an empty segment")]
    [InlineData("/files/a%2F", "a/", "has an empty segment")]
    [InlineData("/files/%2F", "/", "has an empty segment")]
    [InlineData("/files/a%5Cb", "a\\b", "has a backslash")]
    [InlineData("/files/a\\b", "a\\b", "has a backslash")]
    [InlineData("/files/..%5C..%5Cwindows", "..\\..\\windows", "has a backslash")]
    [InlineData("/files/a%00.txt", "a\0.txt", "has a NUL")]
    public async Task An_unsafe_path_capture_is_a_400_naming_the_capture(string target, string value, string fault)
    {
        var response = await Router.Get(target);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(
            $"parameter 'rest': the path '{value}' {fault}; a path capture is a relative path of non-empty segments "
            + "without '.', '..', NUL or backslash",
            response.Detail());
    }

    [Theory]
    [InlineData("/files/a/b/c.txt", "a/b/c.txt")]
    [InlineData("/files/a/b/", "a/b")]
    [InlineData("/files/..a/b..", "..a/b..")]
    [InlineData("/files/.hidden/...", ".hidden/...")]
    [InlineData("/files/a%2Fb", "a/b")]
    [InlineData("/files/%C3%A9t%C3%A9%20x", "été x")]
    public async Task A_safe_path_capture_reaches_the_handler(string target, string value)
    {
        var response = await Router.Get(target);

        Assert.Equal(200, response.Status);
        Assert.Equal(value, response.Json().GetString());
    }

    [Theory]
    [InlineData("/typed/%2e%2e/x")]
    [InlineData("/many/a//b")]
    [InlineData("/loose/..")]
    public async Task The_rule_holds_for_every_parameter_kind_that_reads_the_capture(string target)
    {
        var response = await Router.Get(target);

        Assert.Equal(400, response.Status);
        Assert.StartsWith("parameter 'rest': the path ", response.Detail());
    }

    [Theory]
    [InlineData("/files/ok?rest=../etc", "../etc", "has a dot-segment")]
    [InlineData("/files/ok?rest=%2Fetc", "/etc", "has an empty segment")]
    [InlineData("/many/ok?rest=a&rest=b%5Cc", "b\\c", "has a backslash")]
    [InlineData("/loose/ok?rest=a/./b", "a/./b", "has a dot-segment")]
    public async Task A_query_value_that_overrides_a_path_capture_meets_the_same_rule(string target, string value, string fault)
    {
        var response = await Router.Get(target);

        Assert.Equal(400, response.Status);
        Assert.StartsWith($"parameter 'rest': the path '{value}' {fault}; ", response.Detail());
    }

    [Fact]
    public async Task A_safe_query_value_still_overrides_a_path_capture()
    {
        Assert.Equal("\"x/y\"", (await Router.Get("/files/ok?rest=x/y")).BodyText);
        Assert.Equal("[\"a\",\"b/c\"]", (await Router.Get("/many/ok?rest=a&rest=b/c")).BodyText);
    }

    [Fact]
    public async Task A_long_value_is_quoted_shortened()
    {
        var response = await Router.Get("/files/" + new string('a', 100) + "/..");

        Assert.Equal(400, response.Status);
        Assert.StartsWith($"parameter 'rest': the path '{new string('a', 64)}...' has a dot-segment; ", response.Detail());
    }

    [Theory]
    [InlineData("/user/..", "\"..\"")]
    [InlineData("/user/%2e", "\".\"")]
    [InlineData("/user/a%5Cb", "\"a\\\\b\"")]
    [InlineData("/user/a%2Fb", "\"a/b\"")]
    [InlineData("/pair/../x", "\"..|x\"")]
    public async Task Other_captures_are_left_as_they_were(string target, string body)
    {
        var response = await Router.Get(target);

        Assert.Equal(200, response.Status);
        Assert.Equal(body, response.BodyText);
    }

    [Fact]
    public async Task A_path_that_matches_no_binding_is_still_a_404_and_another_method_a_405()
    {
        Assert.Equal(404, (await Router.Get("/nope/../x")).Status);
        Assert.Equal(405, (await Router.Send("POST", "/files/../x")).Status);
    }

    [Theory]
    [InlineData("a", null)]
    [InlineData("a/b.c/d", null)]
    [InlineData("", "is empty")]
    [InlineData("..", "has a dot-segment")]
    [InlineData("a/.", "has a dot-segment")]
    [InlineData("a/", "has an empty segment")]
    [InlineData("a\0", "has a NUL")]
    [InlineData("a\\b", "has a backslash")]
    public void The_rule_on_its_own(string value, string? fault) => Assert.Equal(fault, PathCapture.Fault(value));
}
