using System.Globalization;
using Usrv.Crypto;

namespace Usrv.Host;

/// <summary>
/// <c>usrv --senders FILE</c>: the admitted sender keys, one base64 secp256k1 key per line (33, 65 or usrv 0.4's 64
/// bytes); blank lines and text after <c>#</c> are ignored.
/// </summary>
public static class SendersFile
{
    /// <summary>The name of the sender set the file fills in <see cref="Usrv.Route.RouterOptions.Senders"/>: <c>--senders</c>.</summary>
    public const string SetName = "--senders";

    /// <summary>Reads the keys of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The keys (at least one).</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FormatException">A line is not a key (the message names the line and why), or the file holds no key.</exception>
    public static HashSet<PublicKey> Read(string path)
    {
        var keys = new HashSet<PublicKey>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash < 0 ? raw : raw[..hash]).Trim();
            if (line.Length == 0) continue;
            try
            {
                keys.Add(PublicKey.Parse(line));
            }
            catch (InvalidKeyException e)
            {
                throw new FormatException(
                    string.Create(CultureInfo.InvariantCulture, $"line {number} is not a secp256k1 public key: {e.Message}"),
                    e);
            }
        }

        return keys.Count > 0 ? keys : throw new FormatException("the file holds no key: every call would be refused");
    }
}
