using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Usrv.Crypto;

/// <summary>
/// usrv's dump/load of a secret under a PIN (DESIGN, Keys, senders, replay): AES-256-GCM under a key stretched from
/// the PIN with PBKDF2-HMAC-SHA256 (600,000 iterations, random 16-byte salt), written atomically with owner-only
/// permissions.
/// </summary>
/// <remarks>
/// <para>File layout (version 1), all integers big-endian:</para>
/// <code>
/// offset  length  field
///      0       8  magic "USRVSECR" (ASCII)
///      8       1  version = 1
///      9       4  PBKDF2-HMAC-SHA256 iterations (uint32)
///     13      16  salt (random)
///     29      12  AES-GCM IV (random)
///     41       n  ciphertext of UTF8(secret)
///   41+n      16  AES-GCM tag
/// </code>
/// <para>The first 41 bytes (the header) are the GCM associated data, so any changed byte is detected. A wrong PIN
/// is reported as such, never as a garbled secret. The file name is the caller's; it never derives from the PIN.
/// The derived key and plaintext bytes are wiped; .NET strings (the secret and PIN) cannot be wiped.</para>
/// </remarks>
public static class SecretStore
{
    /// <summary>PBKDF2 iterations for new files: 600,000 (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The current file version: 1.</summary>
    public const byte Version = 1;

    private const int SaltLength = 16;
    private const int IvLength = 12;
    private const int TagLength = 16;
    private const int KeyLength = 32;
    private const int HeaderLength = 8 + 1 + 4 + SaltLength + IvLength;
    private const int MaxIterations = 100_000_000;
    private const int MaxFileLength = 1 << 20;

    private static readonly byte[] Magic = "USRVSECR"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The conventional place for a named secret: <c>~/.usrv/NAME</c>.</summary>
    /// <param name="name">A plain file name (no folder parts), e.g. <c>server.key</c>.</param>
    /// <returns>
    /// The full path; the folder may not exist yet (<see cref="Dump(string, string, string)"/> creates it, owner-only).
    /// </returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty, has folder separators or invalid characters, or is <c>.</c> / <c>..</c>.
    /// </exception>
    public static string DefaultPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".usrv", name);
    }

    /// <summary>
    /// Seals <paramref name="secret"/> under <paramref name="pin"/> and writes it to <paramref name="path"/>, replacing
    /// any file there.
    /// </summary>
    /// <param name="path">The file to write; its folder is created (owner-only) when missing.</param>
    /// <param name="secret">The secret text.</param>
    /// <param name="pin">The PIN or passphrase (UTF-8); not empty.</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write there.</exception>
    public static void Dump(string path, string secret, string pin) => Dump(path, secret, pin, DefaultIterations);

    /// <summary>Reads and opens a file written by <see cref="Dump(string, string, string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="pin">The PIN it was sealed with.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    /// <exception cref="SecretStoreException">
    /// No such file; not a usrv secret file (bad magic); unsupported version; truncated; bad iteration count;
    /// or "wrong PIN or corrupted file" when authentication fails.
    /// </exception>
    public static string Load(string path, string pin)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(pin);

        byte[] file;
        try
        {
            // A write killed before its rename left a temporary file: the store cleans up after itself when used again.
            RemoveLeftovers(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(path));
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileLength)
            {
                throw new SecretStoreException($"{path} is {stream.Length} bytes, too large to be a usrv secret file.");
            }

            file = new byte[stream.Length];
            stream.ReadExactly(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SecretStoreException($"No secret file at {path}.", ex);
        }

        try
        {
            return Open(file, pin, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(file);
        }
    }

    /// <summary>Dump with a chosen iteration count (tests; never below the default in production).</summary>
    internal static void Dump(string path, string secret, string pin, int iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrEmpty(pin);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);

        var plaintext = Encoding.UTF8.GetBytes(secret);
        var file = new byte[HeaderLength + plaintext.Length + TagLength];
        Span<byte> key = stackalloc byte[KeyLength];
        try
        {
            Magic.CopyTo(file, 0);
            file[8] = Version;
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(9, 4), (uint)iterations);
            var salt = file.AsSpan(13, SaltLength);
            RandomNumberGenerator.Fill(salt);
            var iv = file.AsSpan(13 + SaltLength, IvLength);
            RandomNumberGenerator.Fill(iv);

            DeriveKey(pin, salt, iterations, key);
            using (var aes = new AesGcm(key, TagLength))
            {
                aes.Encrypt(
                    iv,
                    plaintext,
                    file.AsSpan(HeaderLength, plaintext.Length),
                    file.AsSpan(HeaderLength + plaintext.Length),
                    file.AsSpan(0, HeaderLength));
            }

            WriteAtomically(path, file);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static string Open(byte[] file, string pin, string path)
    {
        if (file.Length < Magic.Length || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new SecretStoreException($"{path} is not a usrv secret file (bad magic).");
        }

        if (file.Length < HeaderLength + TagLength)
        {
            throw new SecretStoreException(
                $"{path} is truncated: {file.Length} bytes, a usrv secret file has at least {HeaderLength + TagLength}.");
        }

        if (file[8] != Version)
        {
            throw new SecretStoreException($"{path} is a usrv secret file of version {file[8]}; this library reads version {Version}.");
        }

        var iterations = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(9, 4));
        if (iterations is 0 or > MaxIterations)
        {
            throw new SecretStoreException($"{path} is corrupted: iteration count {iterations} is out of range.");
        }

        var salt = file.AsSpan(13, SaltLength);
        var iv = file.AsSpan(13 + SaltLength, IvLength);
        var ciphertext = file.AsSpan(HeaderLength, file.Length - HeaderLength - TagLength);
        var tag = file.AsSpan(file.Length - TagLength);
        var plaintext = new byte[ciphertext.Length];
        Span<byte> key = stackalloc byte[KeyLength];
        try
        {
            DeriveKey(pin, salt, (int)iterations, key);
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(iv, ciphertext, tag, plaintext, file.AsSpan(0, HeaderLength));
            return StrictUtf8.GetString(plaintext);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SecretStoreException($"wrong PIN or corrupted file: the secret in {path} could not be authenticated.", ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SecretStoreException($"{path} is corrupted: the secret is not UTF-8 text.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static void DeriveKey(string pin, ReadOnlySpan<byte> salt, int iterations, Span<byte> key)
    {
        var pinBytes = Encoding.UTF8.GetBytes(pin);
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(pinBytes, salt, key, iterations, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinBytes);
        }
    }

    // Temp file in the same folder, then rename over the target: readers see the old file or the new one, never half.
    private static void WriteAtomically(string path, byte[] content)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        RemoveLeftovers(folder, Path.GetFileName(fullPath));
        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
            SyncFolder(folder); // the rename itself reaches the disk, not only the file's bytes
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Temporary files of this store left by a write that was killed before its rename: <c>.NAME.HEX.tmp</c>.</summary>
    internal static void RemoveLeftovers(string folder, string name)
    {
        foreach (var leftover in Directory.EnumerateFiles(folder, $".{name}.*.tmp"))
        {
            try
            {
                File.Delete(leftover);
            }
            catch (IOException)
            {
                // another writer's file in use: it removes its own
            }
        }
    }

    private static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) return; // NTFS journals the rename; folders cannot be opened for fsync there
        var fd = Posix.Open(folder, 0); // O_RDONLY
        if (fd < 0) return;
        try
        {
            Posix.Fsync(fd);
        }
        finally
        {
            Posix.Close(fd);
        }
    }

    private static class Posix
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
