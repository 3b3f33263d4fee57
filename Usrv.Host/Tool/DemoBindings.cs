using Usrv.Route;

namespace Usrv.Host;

/// <summary>
/// The demo bindings of usrv's own <c>route.py</c>, served when <c>usrv</c> is started without BINDINGS.
/// Their signatures are fixed so that their answers are too (the tests check them).
/// </summary>
public static class DemoBindings
{
    /// <summary><c>HEAD /</c>: 200, so that clients can check the server is up (usrv's <c>req.connect</c>).</summary>
    [Bind("/", "HEAD")]
    public static int Root() => 200;

    /// <summary><c>GET /test?b=12&amp;a=Paris</c> answers <c>["Paris","12"]</c>; without a query, <c>[null,null]</c>.</summary>
    [Bind("/test")]
    public static (int, object?, object?) Test(object? a, object? b) => (200, a, b);

    /// <summary><c>GET /5/test</c> answers <c>["test",5]</c>: <c>b</c> is captured as an int; query values override path values.</summary>
    [Bind("/<int:b>/<a>")]
    public static (int, object?, object?) Pair(object? a, object? b) => (200, a, b);

    /// <summary>usrv <c>*args</c>: unexpected values, then method, headers and data, land in <paramref name="args"/>.</summary>
    [Bind("/vargs")]
    public static (int, object?, int, int, object?[]) Vargs(object? a, int b = 1, int c = 0, params object?[] args) => (200, a, b, c, args);

    /// <summary>usrv <c>**kwargs</c>: unexpected values by name, plus <c>method</c>, <c>headers</c> and <c>data</c>.</summary>
    [Bind("/kwargs", "GET", "POST")]
    public static (int, object?, object?, int, IDictionary<string, object?>?) Kwargs(
        object? name,
        object? a,
        int b = 2,
        IDictionary<string, object?>? kwargs = null) =>
        (200, name, a, b, kwargs);

    /// <summary>
    /// <c>GET /puk</c>: the server's public key, base64 of the 33-byte SEC1 compressed point (usrv's <c>/puk</c>),
    /// which clients seal their bodies for.
    /// </summary>
    [Bind("/puk")]
    public static (int, string?) Puk(UsrvRequest request) => (200, request.ServerKey?.ToString());

    /// <summary>Answers a tuple whose first item is not a status: 406 (usrv).</summary>
    [Bind("/error_406")]
    public static object Error406() => ("no status here", 200);

    /// <summary>Throws: 500 with no exception text for the client; the log has it.</summary>
    [Bind("/error_500")]
    public static object Error500() => throw new InvalidOperationException("demo failure: this text must not reach the client");
}
