namespace Usrv.Crypto.Tests;

/// <summary>Whatever arrives, Open* answers with an <see cref="EnvelopeException"/> and a 4xx status, never another exception.</summary>
public sealed class EnvelopeGarbageTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
    private readonly PrivateKey _client = PrivateKey.Generate();
    private readonly PrivateKey _server = PrivateKey.Generate();

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public void Random_headers_and_bodies_only_ever_give_EnvelopeException()
    {
        var random = new Random(20261122);
        var genuine = UsrvEnvelope.SealRequest(_client, _server.PublicKey, "POST", "/x", "payload"u8, Now);
        var response = UsrvEnvelope.SealResponse(_server, _client.PublicKey, 200, null, "payload"u8);
        var statuses = new HashSet<int>();

        for (var i = 0; i < 1500; i++)
        {
            var headers = new EnvelopeHeaders(
                Pick(random, genuine.Headers.UsrvCipher),
                Pick(random, genuine.Headers.Nonce),
                Pick(random, genuine.Headers.EphemeralPublicKey),
                Pick(random, genuine.Headers.SenderPublicKey),
                Pick(random, genuine.Headers.SenderSignature));
            var body = Body(random, genuine.Body);

            statuses.Add(OpenStatus(() => UsrvEnvelope.OpenRequest(_server, "POST", "/x", headers, body)));
            statuses.Add(OpenStatus(() => UsrvEnvelope.OpenResponse(_client, _server.PublicKey, 200, null, headers with { SenderPublicKey = Pick(random, response.Headers.SenderPublicKey) }, Body(random, response.Body))));
        }

        Assert.Subset(new HashSet<int> { 0, 400, 401, 415 }, statuses);
        Assert.Contains(400, statuses);
        Assert.Contains(401, statuses);
        Assert.Contains(415, statuses);
    }

    private static int OpenStatus(Action open)
    {
        try
        {
            open();
            return 0;
        }
        catch (EnvelopeException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            // Every refusal here is a specific one, not the safety net that turns a library fault into a 400.
            Assert.DoesNotContain("is malformed:", ex.Message);
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
