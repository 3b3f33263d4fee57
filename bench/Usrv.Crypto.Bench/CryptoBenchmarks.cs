using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Usrv.Crypto.Bench;

/// <summary>Per-operation cost of the usrv/1 primitives. Targets: Verify ≤ 200 µs, ServerSideSealedRoundTrip ≤ 800 µs.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private PrivateKey _client = null!;
    private PrivateKey _server = null!;
    private byte[] _message = null!;
    private byte[] _signature = null!;
    private byte[] _xOnly = null!;
    private byte[] _request = null!;
    private byte[] _answer = null!;
    private SealedMessage _sealedRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _client = PrivateKey.Generate();
        _server = PrivateKey.Generate();
        _message = RandomNumberGenerator.GetBytes(32);
        _signature = _client.Sign(_message);
        _xOnly = _client.PublicKey.XOnly.ToArray();
        _request = RandomNumberGenerator.GetBytes(1024);
        _answer = RandomNumberGenerator.GetBytes(1024);
        _sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/api/endpoint", _request, Now);
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

    [Benchmark]
    public byte[] SealAndOpen1KiBRequest()
    {
        var sealedRequest = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/api/endpoint", _request, Now);
        return UsrvEnvelope.OpenRequest(_server, "POST", "/api/endpoint", sealedRequest.Headers, sealedRequest.Body).Plaintext;
    }

    // Parts of the round trip, for the quick timer only.
    public OpenedMessage OpenRequest1KiB() =>
        UsrvEnvelope.OpenRequest(_server, "POST", "/api/endpoint", _sealedRequest.Headers, _sealedRequest.Body);

    public SealedMessage SealResponse1KiB() => UsrvEnvelope.SealResponse(_server, _client.PublicKey, 200, "n", _answer);

    public PublicKey GenerateKey()
    {
        using var key = PrivateKey.Generate();
        return key.PublicKey;
    }

    public PublicKey ParsePublicKey() => PublicKey.Parse(_sealedRequest.Headers.SenderPublicKey!);

    [Benchmark]
    public byte[] ServerSideSealedRoundTrip()
    {
        var opened = UsrvEnvelope.OpenRequest(_server, "POST", "/api/endpoint", _sealedRequest.Headers, _sealedRequest.Body);
        return UsrvEnvelope.SealResponse(_server, opened.Sender, 200, opened.Nonce, _answer).Body;
    }
}
