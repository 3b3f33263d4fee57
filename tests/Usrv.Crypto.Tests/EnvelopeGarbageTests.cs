namespace Usrv.Crypto.Tests;

/// <summary>Whatever arrives, usrv/2's open and check answer with an <see cref="EnvelopeException"/> and a 4xx status, never another exception.</summary>
public sealed class EnvelopeGarbageTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 19, 0, 0, TimeSpan.Zero);
    private static readonly RequestLine Line = new("POST", "127.0.0.1:5000", "/x", "application/json");
    private readonly PrivateKey _client = PrivateKey.Generate();
    private readonly PrivateKey _server = PrivateKey.Generate();

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Random_headers_and_bodies_only_ever_give_EnvelopeException()
    {
        var random = new Random(20261201);
        var ring = new KeyRing(_server);
        using var genuine = UsrvEnvelope.SealRequest(_client, _server.PublicKey, Line, "payload"u8, Now);
        using var opened = await UsrvEnvelope.OpenRequestAsync(Line, genuine.Headers, genuine.Body, ring, new ReplayGuard(time: new FakeTimeProvider(Now)));
        var answer = UsrvEnvelope.SealResponse(opened, 200, "application/json", "payload"u8, true);
        var statuses = new HashSet<int>();

        for (var i = 0; i < 1500; i++)
        {
            var h = genuine.Headers;
            var headers = new RequestEnvelope(Pick(random, h.Scheme), Pick(random, h.Nonce), Pick(random, h.EphemeralPublicKey),
                Pick(random, h.SenderPublicKey), Pick(random, h.RecipientPublicKey), Pick(random, h.SenderSignature));
            var body = Body(random, genuine.Body);
            var guard = new ReplayGuard(time: new FakeTimeProvider(Now));
            statuses.Add(await OpenStatusAsync(async () => (await UsrvEnvelope.OpenRequestAsync(Line, headers, body, ring, guard)).Dispose()));

            var a = answer.Headers;
            var answerHeaders = new ResponseEnvelope(Pick(random, a.Scheme), Pick(random, a.ResponseNonce), Pick(random, a.SenderPublicKey), Pick(random, a.SenderSignature));
            statuses.Add(await OpenStatusAsync(() =>
            {
                UsrvEnvelope.OpenResponse(genuine, 200, "application/json", answerHeaders, Body(random, answer.Body), true);
                return Task.CompletedTask;
            }));
        }

        Assert.Subset(new HashSet<int> { 0, 400, 401, 415 }, statuses);
        Assert.Contains(400, statuses);
        Assert.Contains(401, statuses);
        Assert.Contains(415, statuses);
    }

    private static async Task<int> OpenStatusAsync(Func<Task> open)
    {
        try
        {
            await open();
            return 0;
        }
        catch (EnvelopeException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            return ex.Status;
        }
    }

    private static string? Pick(Random random, string? genuine)
    {
        switch (random.Next(8))
        {
            case 0: return null;
            case 1: return "";
            case 2: return RandomText(random);
            case 3: return Convert.ToBase64String(RandomBytes(random, random.Next(0, 100)));
            case 4:
                // a key-sized base64 value with a plausible prefix byte
                var bytes = RandomBytes(random, new[] { 33, 64, 65 }[random.Next(3)]);
                bytes[0] = new byte[] { 0x02, 0x03, 0x04, 0x00 }[random.Next(4)];
                return Convert.ToBase64String(bytes);
            default: return genuine;
        }
    }

    private static byte[] Body(Random random, byte[] genuine)
    {
        switch (random.Next(4))
        {
            case 0: return RandomBytes(random, random.Next(0, 80));
            case 1:
                var altered = (byte[])genuine.Clone();
                altered[random.Next(altered.Length)] ^= (byte)(1 << random.Next(8));
                return altered;
            case 2: return genuine[..random.Next(genuine.Length)];
            default: return genuine;
        }
    }

    private static string RandomText(Random random)
    {
        var chars = new char[random.Next(0, 200)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0, 0xFFFF);
        }

        return new string(chars);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
