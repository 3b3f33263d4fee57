using System.Diagnostics;

namespace Usrv.Crypto.Bench;

/// <summary>
/// A rough Stopwatch timer over the same operations as <see cref="CryptoBenchmarks"/> and some of their parts:
/// rounds interleave all operations and keep each one's best batch mean (µs), which evens out a busy machine.
/// </summary>
internal static class QuickTimer
{
    public static void Run()
    {
        var b = new CryptoBenchmarks();
        b.Setup();
        var operations = new (string Name, Func<object> Action)[]
        {
            ("Sign", () => b.Sign()),
            ("Verify", () => b.Verify()),
            ("Ecdh", () => b.Ecdh()),
            ("ServerSideSealedRoundTrip", () => b.ServerSideSealedRoundTrip()),
            ("ClientSideSealedRoundTrip", () => b.ClientSideSealedRoundTrip()),
            ("  OpenRequest 1 KiB", () => b.OpenRequest1KiB()),
            ("  SealResponse 1 KiB", () => b.SealResponse1KiB()),
            ("  HPKE SetupAuthR", () => { using var c = b.SetupAuthR(); return c; }),
            ("  Generate key", () => b.GenerateKey()),
            ("  Parse public key", () => b.ParsePublicKey()),
        };

        const int perBatch = 50;
        var best = new double[operations.Length];
        Array.Fill(best, double.MaxValue);
        for (var round = 0; round < 30; round++)
        {
            for (var i = 0; i < operations.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                for (var n = 0; n < perBatch; n++)
                {
                    operations[i].Action();
                }

                best[i] = Math.Min(best[i], watch.Elapsed.TotalMicroseconds / perBatch);
            }
        }

        for (var i = 0; i < operations.Length; i++)
        {
            Console.WriteLine($"{operations[i].Name,-28} {best[i],8:F1} µs");
        }

        b.Cleanup();
    }
}
