using System.Text;
using Usrv.Route;

namespace Usrv.Host;

/// <summary>The endpoint table that <c>usrv routes</c> prints: one aligned line per endpoint, under a header.</summary>
/// <example><code>
/// METHODS    PATTERN  HANDLER                      SENDERS
/// GET        /test    Usrv.Host.DemoBindings.Test  any caller
/// </code></example>
public static class EndpointTable
{
    /// <summary>The header and one line per endpoint, in the order given, each line ending with <c>\n</c>.</summary>
    public static string Format(IReadOnlyList<EndpointDescription> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        string[][] rows =
        [
            ["METHODS", "PATTERN", "HANDLER", "SENDERS"],
            .. endpoints.Select(e => new[] { string.Join(",", e.Methods), e.Pattern, e.Handler, e.SenderPolicy }),
        ];
        var widths = Enumerable.Range(0, 3).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < 3; c++) text.Append(row[c].PadRight(widths[c] + 2));
            text.Append(row[3]).Append('\n');
        }
        return text.ToString();
    }
}
