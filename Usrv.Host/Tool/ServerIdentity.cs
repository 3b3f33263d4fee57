using Usrv.Crypto;

namespace Usrv.Host;

/// <summary>
/// Chooses the server's secp256k1 identity (DESIGN, Sealed calls: the usrv/2 scheme): from <c>--secret-file</c>, else from the secret store
/// (<c>--secret-store</c>, PIN read without echo), else from the <c>USRV_SECRET</c> variable, else a random key per start
/// (usrv's default). Secrets become keys as usrv derives them, so the same secret is the same identity in both worlds.
/// Nothing secret is ever printed or logged.
/// </summary>
public static class ServerIdentity
{
    /// <summary>The environment variable holding a secret: <c>USRV_SECRET</c>.</summary>
    public const string SecretVariable = "USRV_SECRET";

    /// <summary>Resolves the identity.</summary>
    /// <param name="secretFile">A file whose text (trimmed) is the secret, or <c>null</c>.</param>
    /// <param name="secretStore">A secret store file (see <see cref="SecretStore"/>), or <c>null</c>.</param>
    /// <param name="readPin">Reads the PIN of the store without echo.</param>
    /// <returns>The key and a description of its source for the log (never the secret itself).</returns>
    /// <exception cref="IOException">The secret file cannot be read.</exception>
    /// <exception cref="SecretStoreException">Wrong PIN or a corrupted store.</exception>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public static (PrivateKey Key, string Source) Resolve(string? secretFile, string? secretStore, Func<string, string> readPin)
    {
        var (key, source, previous) = ResolveRing(secretFile, secretStore, readPin);
        foreach (var p in previous) p.Key.Dispose();
        return (key, source);
    }

    /// <summary>
    /// Like <see cref="Resolve"/>, and a store written by <c>usrv keygen</c>/<c>rotate</c> gives its previous keys too
    /// (DESIGN, Keys, senders, replay).
    /// </summary>
    /// <param name="secretFile">A file whose text (trimmed) is the secret, or <c>null</c>.</param>
    /// <param name="secretStore">A secret store file, or <c>null</c>.</param>
    /// <param name="readPin">Reads the PIN of the store without echo.</param>
    /// <returns>The current key, its source for the log, and the previous keys with retire times (dispose them all when done).</returns>
    /// <exception cref="IOException">The secret file cannot be read.</exception>
    /// <exception cref="SecretStoreException">Wrong PIN or a corrupted store.</exception>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public static (PrivateKey Key, string Source, List<PreviousKey> Previous) ResolveRing(
        string? secretFile,
        string? secretStore,
        Func<string, string> readPin) =>
        ResolveRing(secretFile, secretStore, readPin, allowWeakSecret: true);

    /// <summary>
    /// Like <see cref="ResolveRing(string?, string?, Func{string, string})"/>, refusing weak secrets (<see cref="WeakSecrets"/>)
    /// unless <paramref name="allowWeakSecret"/>.
    /// </summary>
    /// <param name="secretFile">A file whose text (trimmed) is the secret, or <c>null</c>.</param>
    /// <param name="secretStore">A secret store file, or <c>null</c>.</param>
    /// <param name="readPin">Reads the PIN of the store without echo.</param>
    /// <param name="allowWeakSecret">Accept secrets <see cref="WeakSecrets"/> refuses.</param>
    /// <returns>The current key, its source, and the previous keys.</returns>
    /// <exception cref="ArgumentException">The secret is empty or weak; the message says why and points to <c>usrv keygen</c>.</exception>
    /// <exception cref="IOException">The secret file cannot be read.</exception>
    /// <exception cref="SecretStoreException">Wrong PIN or a corrupted store.</exception>
    public static (PrivateKey Key, string Source, List<PreviousKey> Previous) ResolveRing(
        string? secretFile,
        string? secretStore,
        Func<string, string> readPin,
        bool allowWeakSecret)
    {
        Func<string, PrivateKey> derive = secret =>
            !allowWeakSecret && WeakSecrets.Why(secret) is { } why ? throw new ArgumentException(why) : PrivateKey.FromSecret(secret);
        if (secretFile is null && secretStore is not null)
        {
            var pin = readPin($"PIN for {secretStore}: ");
            var text = SecretStore.Load(secretStore, pin);
            if (KeyRingPayload.IsRing(text))
            {
                var (current, previous) = KeyRingPayload.Read(text);
                return (current, $"key ring {secretStore}", previous);
            }

            return (derive(text), $"secret store {secretStore}", []);
        }

        var (key, source) = ResolveOne(secretFile, derive);
        return (key, source, []);
    }

    private static (PrivateKey Key, string Source) ResolveOne(string? secretFile, Func<string, PrivateKey> derive)
    {
        if (secretFile is not null)
        {
            var secret = File.ReadAllText(secretFile).Trim();
            if (secret.Length == 0) throw new ArgumentException($"the secret file {secretFile} is empty");
            return (derive(secret), $"secret file {secretFile}");
        }
        if (Environment.GetEnvironmentVariable(SecretVariable) is { Length: > 0 } fromEnvironment)
        {
            return (derive(fromEnvironment.Trim()), $"the {SecretVariable} variable");
        }
        return (PrivateKey.Generate(), "a random key (new at each start)");
    }
}
