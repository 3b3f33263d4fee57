using System.Text;

namespace Usrv.Route;

/// <summary>
/// Strict percent-decoding of URL path segments and query components (RFC 3986 section 2.1):
/// a <c>%</c> not followed by two hex digits, or bytes that are not UTF-8, are a 400 rather than
/// being passed through as <c>System.Uri</c> would.
/// </summary>
internal static class PercentDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="text"/>; <paramref name="plusIsSpace"/> for query components (HTML form encoding).</summary>
    /// <exception cref="ProblemException">400 when the encoding is malformed.</exception>
    public static string Decode(ReadOnlySpan<char> text, bool plusIsSpace)
    {
        int special = plusIsSpace ? text.IndexOfAny('%', '+') : text.IndexOf('%');
        if (special < 0)
        {
            return text.ToString();
        }

        // Bytes of the decoded text; non-ASCII characters are re-encoded as UTF-8 so that mixed input decodes as one string.
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        int n = Encoding.UTF8.GetBytes(text[..special], bytes);
        for (int i = special; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    throw new ProblemException(
                        400,
                        $"malformed percent-encoding in '{Truncate(text)}': '%' must be followed by two hex digits");
                }
                bytes[n++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes[n++] = (byte)' ';
            }
            else if (c < 0x80)
            {
                bytes[n++] = (byte)c;
            }
            else
            {
                n += Encoding.UTF8.GetBytes(text.Slice(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1), bytes.AsSpan(n));
                if (char.IsHighSurrogate(c)) i++;
            }
        }
        try
        {
            return StrictUtf8.GetString(bytes, 0, n);
        }
        catch (DecoderFallbackException)
        {
            throw new ProblemException(400, $"percent-encoded bytes in '{Truncate(text)}' are not valid UTF-8");
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string Truncate(ReadOnlySpan<char> text) => text.Length <= 64 ? text.ToString() : string.Concat(text[..64], "...");
}
