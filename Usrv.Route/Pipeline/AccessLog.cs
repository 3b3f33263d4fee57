namespace Usrv.Route;

/// <summary>The access log's names and formatting (see the access log stage of the pipeline).</summary>
public static class AccessLog
{
    /// <summary>The logger category of access lines: <c>Usrv.Access</c>.</summary>
    public const string Category = "Usrv.Access";

    private static readonly string[] StatusTexts =
        [.. Enumerable.Range(0, 600).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The target as logged: the path as sent, with <c>?...</c> in place of a query.</summary>
    public static string Target(string target)
    {
        int mark = target.IndexOf('?');
        return mark < 0 ? target : string.Concat(target.AsSpan(0, mark), "?...");
    }

    /// <summary>The status logged for a client that left before it was answered: <c>- (client left)</c>.</summary>
    public const string ClientLeftStatus = "- (client left)";

    /// <summary>The status as logged: its number, or <c>-</c> for 0 (no answer made).</summary>
    public static string StatusText(int status) =>
        status == 0 ? "-"
        : status is > 0 and < 600 ? StatusTexts[status]
        : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
