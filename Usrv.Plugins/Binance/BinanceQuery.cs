using System.Text;

namespace Usrv.Plugins.Binance;

/// <summary>Builds a query string exactly once, so that the text signed is the text sent.</summary>
internal static class BinanceQuery
{
    /// <summary><c>name=value&amp;...</c> in order, names and values percent-encoded (RFC 3986 unreserved characters kept).</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (query.Length > 0) query.Append('&');
            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return query.ToString();
    }

    /// <summary>A list of symbols as Binance's <c>symbols</c> parameter takes it: <c>["BTCUSDT","BNBBTC"]</c>.</summary>
    public static string SymbolList(IEnumerable<string> symbols) =>
        System.Text.Json.JsonSerializer.Serialize(symbols.ToArray());
}
