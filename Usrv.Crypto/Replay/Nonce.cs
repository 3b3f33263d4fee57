using System.Globalization;

namespace Usrv.Crypto;

/// <summary>
/// usrv's request nonce: the sender's UTC clock as ISO-8601 text with microseconds and offset, e.g.
/// <c>2026-11-22T01:17:17.123456+00:00</c> (Python's <c>datetime.now(timezone.utc).isoformat()</c>).
/// </summary>
public static class Nonce
{
    /// <summary>Longest nonce text accepted by <see cref="TryParse"/>; longer text is refused unread.</summary>
    public const int MaxLength = 64;

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Formats an instant in usrv's form: UTC, six fraction digits, <c>+00:00</c>.</summary>
    /// <param name="instant">The instant; converted to UTC, truncated to whole microseconds.</param>
    /// <returns>32 characters, e.g. <c>2026-11-22T01:17:17.123456+00:00</c>.</returns>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads an ISO-8601 date-time with an offset (<c>+hh:mm</c>, <c>-hh:mm</c> or <c>Z</c>), with or without a
    /// fraction of up to 7 digits. Text without an offset is refused: its instant would be ambiguous.
    /// </summary>
    /// <param name="text">The nonce text, or null.</param>
    /// <param name="instant">The instant, when the result is true.</param>
    /// <returns>True when <paramref name="text"/> is such a timestamp of at most <see cref="MaxLength"/> characters.</returns>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        var styles = DateTimeStyles.AssumeUniversal;
        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, styles, out instant);
    }
}
