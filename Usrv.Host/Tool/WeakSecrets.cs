namespace Usrv.Host;

/// <summary>
/// Refuses secrets too weak to be a server identity (issue 10): the public key is public, so a secret that derives a key
/// can be guessed offline at usrv's 2,048 PBKDF2 iterations per try. Shorter than 16 characters, or a common password,
/// is refused unless <c>--allow-weak-secret</c> says otherwise (tests, usrv compatibility).
/// </summary>
public static class WeakSecrets
{
    /// <summary>Shortest secret accepted: 16 characters.</summary>
    public const int MinimumLength = 16;

    // A few of the most common passwords and passphrases of at least 16 characters (shorter ones fail on length).
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "1234567890123456", "12345678901234567890", "passwordpassword", "password12345678", "qwertyuiopasdfgh",
        "iloveyouiloveyou", "aaaaaaaaaaaaaaaa", "0000000000000000", "1111111111111111", "letmeinletmeinle",
        "changemechangeme", "administrator123", "qwertyuiop123456", "abcdefghijklmnop", "thequickbrownfox",
    };

    /// <summary>Why <paramref name="secret"/> is refused, or null when it may be used.</summary>
    /// <param name="secret">The secret (trimmed).</param>
    /// <returns>A message that points to <c>usrv keygen</c>, or null.</returns>
    public static string? Why(string secret)
    {
        var reason = secret.Length < MinimumLength ? $"shorter than {MinimumLength} characters"
            : Common.Contains(secret) ? "a common password"
            : null;
        return reason is null ? null
            : $"the secret is {reason}, so anyone holding the public key can guess it offline; " +
              "use 'usrv keygen' for a random key (or --allow-weak-secret for tests and usrv compatibility)";
    }
}
