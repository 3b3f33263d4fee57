using Usrv.Route;

namespace Usrv.Samples;

/// <summary>
/// A small bindings assembly, served with <c>dotnet run --project Usrv.Host -- Usrv.Samples</c>
/// (found through the folders listed in <c>usrv.path</c>).
/// </summary>
public static class Greetings
{
    /// <summary><c>HEAD /</c>: 200, so that clients can check the server is up.</summary>
    [Bind("/", "HEAD")]
    public static int Root() => 200;

    /// <summary><c>GET /user/bob</c> answers <c>"hello bob"</c>.</summary>
    [Bind("/user/<name>")]
    public static (int, string) User(string name) => (200, $"hello {name}");

    /// <summary><c>GET /add/2/3</c> answers <c>5</c>; <c>/add/2/x</c> is a 404 (the segment is typed).</summary>
    [Bind("/add/<int:a>/<int:b>")]
    public static (int, int) Add(int a, int b) => (200, a + b);

    /// <summary><c>POST /echo</c> with any body answers the body as usrv's <c>data</c> (text or base64 bytes).</summary>
    [Bind("/echo", "POST")]
    public static (int, object?) Echo(object? data) => (200, data);

    /// <summary><c>GET /divide?a=1&amp;b=0</c>: a handler's own 4xx, answered as problem details.</summary>
    [Bind("/divide")]
    public static (int, object) Divide(double a, double b) => b == 0 ? (400, "b must not be 0") : (200, a / b);
}
