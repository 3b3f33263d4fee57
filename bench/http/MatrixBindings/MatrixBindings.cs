using Usrv.Route;

namespace MatrixBindings;

/// <summary>An order, the JSON body of <c>POST /order</c>: about 1 KiB with a 1,000-character note.</summary>
/// <param name="Id">The order's id.</param>
/// <param name="Count">How many.</param>
/// <param name="Note">Free text; the bulk of the body.</param>
public sealed record Order(string Id, int Count, string Note);

/// <summary>
/// What bench/http/matrix.sh measures on the three usrv servers; bench/http/MinimalApi answers the same bytes
/// (apart from the framing of the body) with ASP.NET Core's own routing and binding.
/// </summary>
public static class Api
{
    /// <summary><c>GET /test?b=12&amp;a=Paris</c> answers <c>["Paris","12"]</c>, as usrv's demo binding does.</summary>
    [Bind("/test")]
    public static (int, object?, object?) Test(object? a, object? b) => (200, a, b);

    /// <summary><c>POST /order</c> with a JSON <see cref="Order"/> answers <c>{"id":...,"count":...}</c>.</summary>
    [Bind("/order", "POST")]
    public static (int, object?) Order(Order order) => (200, new { order.Id, order.Count });
}
