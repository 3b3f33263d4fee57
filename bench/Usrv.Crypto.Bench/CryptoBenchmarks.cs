using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Usrv.Crypto.Bench;

/// <summary>
/// Per-operation cost of usrv/2 and its libsecp256k1 primitives. Target (issue 9): ServerSideSealedRoundTrip (open a 1 KiB
/// sealed request, seal a 1 KiB answer) ≤ 200 µs; its libsecp256k1 floor is two ECDH, one verify, one sign.
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private static readonly RequestLine Line = new("POST", "127.0.0.1:5000", "/api/endpoint", "application/json");

    private PrivateKey _client = null!;
    private PrivateKey _server = null!;
    private KeyRing _ring = null!;
    private byte[] _message = null!;
    private byte[] _signature = null!;
    private byte[] _xOnly = null!;
    private byte[] _request = null!;
    private byte[] _answer = null!;
    private SealedRequest _sealedRequest = null!;
    private OpenedRequest _openedRequest = null!;
    private SealedResponse _sealedAnswer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _client = PrivateKey.Generate();
        _server = PrivateKey.Generate();
        _ring = new KeyRing(_server);
        _message = RandomNumberGenerator.GetBytes(32);
        _signature = _client.Sign(_message);
        _xOnly = _client.PublicKey.XOnly.ToArray();
        _request = RandomNumberGenerator.GetBytes(1024);
        _answer = RandomNumberGenerator.GetBytes(1024);
        _sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Line, _request, DateTimeOffset.UtcNow);
        _openedRequest = OpenRequest1KiB();
        _sealedAnswer = UsrvEnvelope.SealResponse(_openedRequest, 200, "application/json", _answer, true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Benchmark]
    public byte[] Sign() => _client.Sign(_message);

    [Benchmark]
    public bool Verify() => Bip340.Verify(_xOnly, _message, _signature);

    [Benchmark]
    public byte[] Ecdh() => _client.DeriveSharedX(_server.PublicKey);

    public PublicKey GenerateKey()
    {
        using var key = PrivateKey.Generate();
        return key.PublicKey;
    }

    public PublicKey ParsePublicKey() => PublicKey.Parse(_sealedRequest.Headers.SenderPublicKey!);

    /// <summary>Opens the one sealed request again: a fresh replay store each time, so only the crypto is measured.</summary>
    public OpenedRequest OpenRequest1KiB() =>
        UsrvEnvelope.OpenRequestAsync(Line, _sealedRequest.Headers, _sealedRequest.Body, _ring, new ReplayGuard(new MemoryNonceStore(1))).AsTask().GetAwaiter().GetResult();

    /// <summary>Step g's HPKE part alone: AuthDecap (two ECDH) and the key schedule.</summary>
    public Hpke.HpkeContext SetupAuthR() =>
        UsrvEnvelope.Suite.SetupAuthR(Convert.FromBase64String(_sealedRequest.Headers.EphemeralPublicKey!), _server.Scalar, _server.PublicKey.Uncompressed,
            "usrv/2"u8, _client.PublicKey.Uncompressed);

    public SealedResponse SealResponse1KiB() => UsrvEnvelope.SealResponse(_openedRequest, 200, "application/json", _answer, true);

    [Benchmark]
    public byte[] ServerSideSealedRoundTrip()
    {
        using var opened = OpenRequest1KiB();
        return UsrvEnvelope.SealResponse(opened, 200, "application/json", _answer, true).Body;
    }

    [Benchmark]
    public byte[] ClientSideSealedRoundTrip()
    {
        using var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Line, _request, DateTimeOffset.UtcNow);
        // The answer of another request does not verify, so the client's open is timed on the setup's own pair.
        return UsrvEnvelope.OpenResponse(_sealedRequest, 200, "application/json", _sealedAnswer.Headers, _sealedAnswer.Body, true);
    }
}
