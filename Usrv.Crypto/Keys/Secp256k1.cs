using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Native = Secp256k1Net.Secp256k1;

namespace Usrv.Crypto;

/// <summary>
/// The secp256k1 curve (SEC 2 §2.4.1) through bitcoin-core's libsecp256k1 (the <c>Secp256k1.Net</c> package):
/// constant-time key creation, ECDH and BIP340 signing; verification and parsing. Every native call of the
/// library goes through this one type. Opaque objects are libsecp256k1's own: a parsed public key and an
/// x-only key are 64 bytes, a key pair 96 bytes.
/// </summary>
internal static class Secp256k1
{
    /// <summary>Length of libsecp256k1's opaque <c>secp256k1_pubkey</c> and <c>secp256k1_xonly_pubkey</c>: 64 bytes.</summary>
    public const int PubkeyObjectLength = 64;

    /// <summary>Length of libsecp256k1's opaque <c>secp256k1_keypair</c>: 96 bytes.</summary>
    public const int KeypairObjectLength = 96;

    /// <summary>The field size p, big-endian, 32 bytes (SEC 2 §2.4.1).</summary>
    public static ReadOnlySpan<byte> FieldSize =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xfc, 0x2f,
    ];

    /// <summary>The group order n, big-endian, 32 bytes (SEC 2 §2.4.1).</summary>
    public static ReadOnlySpan<byte> Order =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    ];

    // libsecp256k1's secp256k1_schnorrsig_extraparams magic (include/secp256k1_schnorrsig.h).
    private static ReadOnlySpan<byte> ExtraParamsMagic => [0xda, 0x6f, 0xb3, 0x8c];

    // One libsecp256k1 context per thread, as the package keeps its own (its Instance property is not public).
    [ThreadStatic]
    private static Native? _threadContext;

    private static Native Context => _threadContext ??= new Native();

    /// <summary>True when the 32-byte big-endian value is below the 32-byte big-endian bound.</summary>
    public static bool IsBelow(ReadOnlySpan<byte> value32, ReadOnlySpan<byte> bound32) =>
        value32.SequenceCompareTo(bound32) < 0;

    /// <summary>True when the bytes are a valid secret scalar: 32 bytes, 0 &lt; d &lt; n.</summary>
    public static bool IsValidSecretKey(ReadOnlySpan<byte> secretKey) =>
        secretKey.Length == 32 && Context.EcSeckeyVerify(secretKey);

    /// <summary>
    /// Parses a serialized point (33 or 65 bytes SEC1) into <paramref name="pubkey64"/>; false when it is not a valid
    /// point.
    /// </summary>
    public static bool TryParsePublicKey(ReadOnlySpan<byte> serialized, Span<byte> pubkey64) =>
        (serialized.Length is 33 or 65) && Context.EcPubkeyParse(pubkey64, serialized);

    /// <summary>d·G into <paramref name="pubkey64"/> (constant time); false when d is not a valid secret key.</summary>
    public static bool TryCreatePublicKey(ReadOnlySpan<byte> secretKey, Span<byte> pubkey64) =>
        secretKey.Length == 32 && Context.EcPubkeyCreate(pubkey64, secretKey);

    /// <summary>Serializes a parsed point: 33 bytes compressed or 65 bytes uncompressed (SEC1 §2.3.3).</summary>
    public static byte[] Serialize(ReadOnlySpan<byte> pubkey64, bool compressed)
    {
        var output = new byte[compressed ? 33 : 65];
        nuint length = (nuint)output.Length;
        Context.EcPubkeySerialize(output, ref length, pubkey64,
            compressed ? Secp256k1Net.Secp256k1EcFlags.Compressed : Secp256k1Net.Secp256k1EcFlags.Uncompressed);
        return output;
    }

    /// <summary>The x-only key (BIP340 <c>lift_x</c> form) of a parsed point, into <paramref name="xonly64"/>.</summary>
    public static void ToXOnly(ReadOnlySpan<byte> pubkey64, Span<byte> xonly64)
    {
        Context.XonlyPubkeyFromPubkey(xonly64, out _, pubkey64);
    }

    /// <summary>ECDH in constant time: the 32-byte x-coordinate of d·Q; false when d is not a valid secret key.</summary>
    public static unsafe bool TryEcdhX(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> pubkey64, Span<byte> x32)
    {
        if (secretKey.Length != 32 || pubkey64.Length != PubkeyObjectLength || x32.Length < 32)
        {
            return false;
        }

        fixed (byte* output = x32)
        fixed (byte* pubkey = pubkey64)
        fixed (byte* seckey = secretKey)
        {
            return Ecdh.Function(Ecdh.Context, output, pubkey, seckey, &CopyX, IntPtr.Zero) == 1;
        }
    }

    // ECDH as SEC1 §3.3.1 defines it: the x-coordinate, unhashed (HPKE's DHKEM and usrv 0.4 hash it themselves).
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int CopyX(byte* output, byte* x32, byte* y32, IntPtr data)
    {
        new ReadOnlySpan<byte>(x32, 32).CopyTo(new Span<byte>(output, 32));
        return 1;
    }

    /// <summary>
    /// <c>secp256k1_ecdh</c> called directly with an unmanaged hash function: the package's managed callback
    /// allocates a delegate and a native thunk per call and does not keep them alive across the call.
    /// </summary>
    private static unsafe class Ecdh
    {
        public static readonly IntPtr Context;
        // int secp256k1_ecdh(ctx, output, pubkey, seckey, hashfp, data), hashfp(output, x32, y32, data).
        public static readonly delegate* unmanaged[Cdecl]<
            IntPtr, byte*, byte*, byte*, delegate* unmanaged[Cdecl]<byte*, byte*, byte*, IntPtr, int>, IntPtr, int> Function;

        static Ecdh()
        {
            _ = Secp256k1.Context; // loads the package's native library, so LibPath is known
            // Resolved as the package resolves it.
            var library = NativeLibrary.Load(Native.LibPath, typeof(Native).Assembly, null);
            var create = (delegate* unmanaged[Cdecl]<uint, IntPtr>)NativeLibrary.GetExport(library, "secp256k1_context_create");
            Context = create(1); // SECP256K1_CONTEXT_NONE; ECDH takes it const, so one serves every thread
            Function = (delegate* unmanaged[Cdecl]<
                    IntPtr, byte*, byte*, byte*, delegate* unmanaged[Cdecl]<byte*, byte*, byte*, IntPtr, int>, IntPtr, int>)
                NativeLibrary.GetExport(library, "secp256k1_ecdh");
        }
    }

    /// <summary>libsecp256k1's key pair object of d (for signing); false when d is not a valid secret key.</summary>
    public static bool TryCreateKeypair(ReadOnlySpan<byte> secretKey, Span<byte> keypair96) =>
        secretKey.Length == 32 && Context.KeypairCreate(keypair96, secretKey);

    /// <summary>
    /// BIP340 <c>Sign</c> of a message of any length with the given aux randomness (32 bytes), into
    /// <paramref name="signature64"/>. Returns false only on a library failure.
    /// </summary>
    public static unsafe bool TrySignSchnorr(
        ReadOnlySpan<byte> keypair96,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> auxRand32,
        Span<byte> signature64)
    {
        if (message.Length == 32)
        {
            return Context.SchnorrsigSign32(signature64, message, keypair96, auxRand32);
        }

        // Variable-length messages (BIP340 allows them) need extraparams {magic[4], noncefp, ndata}.
        fixed (byte* aux = auxRand32)
        {
            // magic[4], padded to pointer alignment, then the two pointers.
            Span<byte> extra = stackalloc byte[3 * IntPtr.Size];
            extra.Clear();
            ExtraParamsMagic.CopyTo(extra);
            var pointers = MemoryMarshal.Cast<byte, IntPtr>(extra[IntPtr.Size..]);
            pointers[0] = IntPtr.Zero; // default BIP340 nonce function
            pointers[1] = (IntPtr)aux;
            return Context.SchnorrsigSignCustom(signature64, message, keypair96, extra);
        }
    }

    /// <summary>BIP340 <c>Verify</c> with a parsed x-only key; false for any invalid signature (never throws).</summary>
    public static bool VerifySchnorr(ReadOnlySpan<byte> xonly64, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64) =>
        signature64.Length == 64 && Context.SchnorrsigVerify(signature64, message, xonly64);
}
