using System.CommandLine;
using System.Globalization;
using Usrv.Crypto;

namespace Usrv.Host;

/// <summary>
/// <c>usrv keygen</c>, <c>usrv rotate</c> and <c>usrv keys</c> (DESIGN, Keys, senders, replay): a key ring of random
/// 256-bit keys kept in the secret store under a PIN (asked without echo; read from stdin when redirected), served by
/// <c>usrv --secret-store PATH</c>.
/// </summary>
public static class KeyRingCommands
{
    /// <summary>Exit code of a refused command (a store that exists without <c>--force</c>, a bad duration): 2.</summary>
    public const int UsageError = 2;

    /// <summary><c>usrv keygen --store PATH [--force]</c>: writes a ring of one random key (PIN asked twice).</summary>
    /// <returns>The command.</returns>
    public static Command CreateKeygen()
    {
        var store = StoreOption();
        var force = new Option<bool>("--force") { Description = "replace a store that exists" };
        var command = new Command("keygen", "write a random 256-bit server key into a secret store (a key ring of one key)")
        {
            store,
            force,
        };
        command.SetAction(parse => Run(() =>
        {
            var path = parse.GetValue(store)!;
            if (File.Exists(path) && !parse.GetValue(force))
            {
                Console.Error.WriteLine($"usrv: {path} exists; it is never overwritten without --force (rotate it with 'usrv rotate')");
                return UsageError;
            }

            var pin = NewPin();
            using var key = PrivateKey.Generate();
            SecretStore.Dump(path, KeyRingPayload.Write(key, []), pin);
            Console.Out.WriteLine($"key ring stored in {path}; current key {key.PublicKey} (kid {key.PublicKey.JwkThumbprint()})");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// <c>usrv rotate --store PATH [--retire-after 7d]</c>: a new current key; the old one is kept as previous until the retire time.
    /// </summary>
    /// <returns>The command.</returns>
    public static Command CreateRotate()
    {
        var store = StoreOption();
        var retireAfter = new Option<string>("--retire-after")
        {
            Description = "how long the old key keeps being served: a number and s, m, h or d (7d)",
            DefaultValueFactory = _ => "7d",
        };
        var command = new Command("rotate", "make a new current key; keep the old one as previous until --retire-after")
        {
            store,
            retireAfter,
        };
        command.SetAction(parse => Run(() =>
        {
            var path = parse.GetValue(store)!;
            if (!TryParseDuration(parse.GetValue(retireAfter)!, out var grace))
            {
                Console.Error.WriteLine(
                    $"usrv: --retire-after '{parse.GetValue(retireAfter)}' is not a duration such as 90s, 30m, 12h or 7d");
                return UsageError;
            }

            var pin = HiddenInput.Read($"PIN for {path}: ");
            var (current, previous) = Open(path, pin);
            using var next = PrivateKey.Generate();
            try
            {
                previous.Insert(0, new PreviousKey(current, DateTimeOffset.UtcNow + grace));
                SecretStore.Dump(path, KeyRingPayload.Write(next, previous), pin);
                Console.Out.WriteLine(
                    $"rotated {path}: current key {next.PublicKey}; {current.PublicKey} is served until {Format(previous[0].RetireAt)}");
                return 0;
            }
            finally
            {
                foreach (var p in previous) p.Key.Dispose();
            }
        }));
        return command;
    }

    /// <summary>
    /// <c>usrv keys --store PATH</c>: lists the ring's public keys, <c>kid</c>, status and retire times (never a secret).
    /// </summary>
    /// <returns>The command.</returns>
    public static Command CreateKeys()
    {
        var store = StoreOption();
        var command = new Command("keys", "list the public keys of a key ring: key, kid, status, retire time") { store };
        command.SetAction(parse => Run(() =>
        {
            var path = parse.GetValue(store)!;
            var (current, previous) = Open(path, HiddenInput.Read($"PIN for {path}: "));
            using (current)
            {
                Console.Out.WriteLine($"current   {current.PublicKey}  kid {current.PublicKey.JwkThumbprint()}");
                var now = DateTimeOffset.UtcNow;
                foreach (var p in previous)
                {
                    var status = p.RetireAt > now ? "previous" : "retired ";
                    Console.Out.WriteLine(
                        $"{status}  {p.Key.PublicKey}  kid {p.Key.PublicKey.JwkThumbprint()}  retire at {Format(p.RetireAt)}");
                    p.Key.Dispose();
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Reads a duration: a positive number and <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>.</summary>
    /// <param name="text">E.g. <c>7d</c>.</param>
    /// <param name="duration">The duration, when true.</param>
    /// <returns>Whether the text is such a duration.</returns>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
            return false;
        double? seconds = text[^1] switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, 'd' => n * 86400, _ => null };
        if (seconds is null) return false;
        duration = TimeSpan.FromSeconds(seconds.Value);
        return true;
    }

    private static Option<string> StoreOption() => new("--store")
    {
        Description = "the secret store file of the key ring",
        DefaultValueFactory = _ => SecretStore.DefaultPath("server.keys"),
    };

    private static (PrivateKey Current, List<PreviousKey> Previous) Open(string path, string pin)
    {
        var text = SecretStore.Load(path, pin);
        if (!KeyRingPayload.IsRing(text))
            throw new SecretStoreException($"{path} holds a usrv secret, not a key ring; write one with 'usrv keygen'");
        return KeyRingPayload.Read(text);
    }

    private static string NewPin()
    {
        var pin = HiddenInput.Read("PIN: ");
        if (pin.Length == 0) throw new ArgumentException("the PIN is empty");
        if (HiddenInput.Read("PIN again: ") != pin) throw new ArgumentException("the two PINs differ");
        return pin;
    }

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // Wrong PIN or a damaged store: exit 4, as the server does.
    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (
            e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or SecretStoreException)
        {
            Console.Error.WriteLine($"usrv: {e.Message}");
            return UsrvCommand.IdentityError;
        }
    }
}
