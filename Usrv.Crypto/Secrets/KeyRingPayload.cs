using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Usrv.Crypto;

/// <summary>
/// A key ring as the secret store keeps it (DESIGN, Keys, senders, replay): the sealed text is
/// <c>{"usrv_key_ring":1,"current":"HEX","previous":[{"key":"HEX","retire_at":"ISO 8601 UTC"}]}</c> with 32-byte secret keys as
/// lowercase hex. Any other sealed text is a usrv secret (a key derived as usrv derives it), so old stores still open.
/// </summary>
public static class KeyRingPayload
{
    private const string Marker = "{\"usrv_key_ring\":1";

    /// <summary>True when <paramref name="text"/> (opened from a store) is a key ring rather than a usrv secret.</summary>
    /// <param name="text">The opened text.</param>
    /// <returns>Whether it is a ring.</returns>
    public static bool IsRing(string text) => text.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>The ring's text: the keys' secret bytes as hex; wipe-free .NET strings, so keep it only as long as needed.</summary>
    /// <param name="current">The current key.</param>
    /// <param name="previous">Previous keys with retire times.</param>
    /// <returns>The JSON text to seal.</returns>
    public static string Write(PrivateKey current, IEnumerable<PreviousKey> previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("usrv_key_ring", 1);
            json.WriteString("current", Hex(current));
            json.WriteStartArray("previous");
            foreach (var p in previous)
            {
                json.WriteStartObject();
                json.WriteString("key", Hex(p.Key));
                json.WriteString("retire_at", p.RetireAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a ring's text.</summary>
    /// <param name="text">Text written by <see cref="Write"/>.</param>
    /// <returns>The current key and the previous keys (dispose the keys when done).</returns>
    /// <exception cref="SecretStoreException">The text is not a well-formed ring.</exception>
    public static (PrivateKey Current, List<PreviousKey> Previous) Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var current = Key(root.GetProperty("current").GetString());
            var previous = root.GetProperty("previous").EnumerateArray()
                .Select(p => new PreviousKey(
                    Key(p.GetProperty("key").GetString()),
                    DateTimeOffset.Parse(
                        p.GetProperty("retire_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)))
                .ToList();
            return (current, previous);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
            or InvalidKeyException)
        {
            throw new SecretStoreException("The store holds a key ring that is not well formed.", e);
        }
    }

    private static string Hex(PrivateKey key)
    {
        var bytes = key.ExportBytes();
        try
        {
            return Convert.ToHexStringLower(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static PrivateKey Key(string? hex)
    {
        var bytes = Convert.FromHexString(hex ?? "");
        try
        {
            return PrivateKey.FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
