using System.Text;
using Usrv.Plugins.Pinata;

namespace Usrv.Plugins.Tests;

/// <summary>The Pinata client against the imitation: every operation, Pinata's errors, and the JWT rules.</summary>
public sealed class PinataClientTests
{
    private static readonly byte[] HelloWorld = "hello world"u8.ToArray();

    // The CIDv1 (raw leaves) IPFS gives "hello world": `ipfs add --cid-version 1 --raw-leaves`.
    private const string HelloWorldCidV1 = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

    [Fact]
    public async Task PinFile_from_bytes_sends_the_file_with_cidVersion_1_and_answers_the_cid()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        PinResult pin = await pinata.PinFileAsync(HelloWorld, "hello.txt");

        Assert.Equal(HelloWorldCidV1, pin.IpfsHash);
        Assert.Equal(11, pin.PinSize);
        Assert.False(pin.IsDuplicate);
        var stored = Assert.Single(scene.Imitation.Pins);
        Assert.Equal(1, stored.CidVersion);                  // pinataOptions {"cidVersion":1} was sent
        Assert.Equal("hello.txt", stored.FileName);          // the file part carries the file name
        Assert.Equal("hello.txt", stored.Name);              // no pinataMetadata: Pinata names the pin after the file
    }

    [Fact]
    public async Task PinFile_from_path_sends_the_metadata_part_and_Pinata_lists_it()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();
        var path = Path.Combine(Path.GetTempPath(), $"usrv-pinata-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes("%PDF-1.7 report"));
        try
        {
            var pin = await pinata.PinFileAsync(path, new PinataMetadata("report", new Dictionary<string, object?> { ["year"] = 2024, ["owner"] = "alice" }));

            Assert.StartsWith("bafkrei", pin.IpfsHash);
            var row = Assert.Single((await pinata.ListPinsAsync()).Rows);
            Assert.Equal(pin.IpfsHash, row.IpfsPinHash);
            Assert.Equal("report", row.Metadata!.Name);
            Assert.Equal(2024, row.Metadata.KeyValues!["year"].GetInt32());
            Assert.Equal("alice", row.Metadata.KeyValues["owner"].GetString());
            Assert.Equal(Path.GetFileName(path), scene.Imitation.Pins[0].FileName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PinFile_with_cidVersion_0_gets_a_Qm_cid_and_wrapWithDirectory_is_sent()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        var pin = await pinata.PinFileAsync(HelloWorld, "hello.txt", options: new PinataOptions(CidVersion: 0, WrapWithDirectory: true));

        Assert.StartsWith("Qm", pin.IpfsHash);
        Assert.Equal(0, scene.Imitation.Pins[0].CidVersion);
        Assert.True(scene.Imitation.Pins[0].WrapWithDirectory);
    }

    [Fact]
    public async Task PinFile_from_a_stream_reads_it_and_leaves_it_open()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();
        using var stream = new MemoryStream(HelloWorld);

        var pin = await pinata.PinFileAsync(stream, "hello.txt");

        Assert.Equal(HelloWorldCidV1, pin.IpfsHash);
        Assert.True(stream.CanRead); // still the caller's
    }

    [Fact]
    public async Task Pinning_the_same_content_twice_is_a_duplicate()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        var first = await pinata.PinFileAsync(HelloWorld, "a.txt");
        var second = await pinata.PinFileAsync(HelloWorld, "b.txt");

        Assert.Equal(first.IpfsHash, second.IpfsHash);
        Assert.True(second.IsDuplicate);
    }

    [Fact]
    public async Task PinJson_sends_pinataContent_with_options_and_metadata()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        var pin = await pinata.PinJsonAsync(new { name = "Pinnie", level = 3 }, new PinataMetadata("pinnie.json", new Dictionary<string, object?> { ["kind"] = "nft" }));

        Assert.StartsWith("bafkrei", pin.IpfsHash);
        Assert.Equal(Cid.Of("{\"name\":\"Pinnie\",\"level\":3}"u8, 1), pin.IpfsHash); // the content as sent
        var stored = Assert.Single(scene.Imitation.Pins);
        Assert.Equal("pinnie.json", stored.Name);
        Assert.Equal("nft", stored.KeyValues["kind"].GetString());
    }

    [Fact]
    public async Task PinJson_without_content_is_refused_with_the_plain_error_shape()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        var e = await Assert.ThrowsAsync<PinataException>(() => pinata.PinJsonAsync<object?>(null));

        Assert.Equal(400, e.Status);
        Assert.Equal("Invalid request format.", e.Reason); // {"error":"Invalid request format."}
        Assert.Null(e.Details);
    }

    [Fact]
    public async Task UpdateMetadata_renames_adds_replaces_and_removes_keyvalues()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();
        var pin = await pinata.PinFileAsync(HelloWorld, "hello.txt", new PinataMetadata("draft", new Dictionary<string, object?> { ["stage"] = "draft", ["tmp"] = "x" }));

        await pinata.UpdateMetadataAsync(pin.IpfsHash, new PinataMetadata("final", new Dictionary<string, object?>
        {
            ["stage"] = "final",   // replaced
            ["year"] = 2024,       // added
            ["tmp"] = null,        // removed
        }));

        var metadata = Assert.Single((await pinata.ListPinsAsync()).Rows).Metadata!;
        Assert.Equal("final", metadata.Name);
        Assert.Equal("final", metadata.KeyValues!["stage"].GetString());
        Assert.Equal(2024, metadata.KeyValues["year"].GetInt32());
        Assert.False(metadata.KeyValues.ContainsKey("tmp"));
    }

    [Fact]
    public async Task UpdateMetadata_of_a_cid_not_pinned_surfaces_Pinata_reason_and_details()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        var e = await Assert.ThrowsAsync<PinataException>(() => pinata.UpdateMetadataAsync(HelloWorldCidV1, new PinataMetadata("x")));

        Assert.Equal(400, e.Status);
        Assert.Equal("CURRENT_USER_HAS_NOT_PINNED_CID", e.Reason);
        Assert.Equal($"The current user has not pinned the cid: {HelloWorldCidV1}", e.Details);
    }

    [Fact]
    public async Task Unpin_removes_the_pin_and_pinList_filters_by_status()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();
        var kept = await pinata.PinFileAsync("kept"u8.ToArray(), "kept.txt");
        var dropped = await pinata.PinFileAsync("dropped"u8.ToArray(), "dropped.txt");

        await pinata.UnpinAsync(dropped.IpfsHash);

        var pinned = await pinata.ListPinsAsync(new PinListQuery { Status = PinStatusFilter.Pinned });
        Assert.Equal([kept.IpfsHash], pinned.Rows.Select(r => r.IpfsPinHash));
        var unpinned = Assert.Single((await pinata.ListPinsAsync(new PinListQuery { Status = PinStatusFilter.Unpinned })).Rows);
        Assert.Equal(dropped.IpfsHash, unpinned.IpfsPinHash);
        Assert.NotNull(unpinned.DateUnpinned);
        Assert.Equal(2, (await pinata.ListPinsAsync(new PinListQuery { Status = PinStatusFilter.All })).Count);
    }

    [Fact]
    public async Task Unpin_of_a_cid_not_pinned_is_a_PinataException_with_reason_and_details()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        var e = await Assert.ThrowsAsync<PinataException>(() => pinata.UnpinAsync(HelloWorldCidV1));

        Assert.Equal(400, e.Status);
        Assert.Equal("CURRENT_USER_HAS_NOT_PINNED_CID", e.Reason);
        Assert.Contains(HelloWorldCidV1, e.Details);
        Assert.Contains("DELETE /pinning/unpin/", e.Message);
    }

    [Fact]
    public async Task ListPins_sends_Pinata_filters_and_pages()
    {
        var clock = new FakeClock(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var scene = await PinataScene.StartAsync(clock);
        using var pinata = scene.Client();
        var pins = new List<PinResult>();
        for (int i = 1; i <= 5; i++)
        {
            clock.Now = clock.Now.AddDays(1); // pinned on Jan 2, 3, 4, 5, 6
            pins.Add(await pinata.PinFileAsync(Encoding.UTF8.GetBytes(new string('x', i * 10)), $"file{i}.txt",
                new PinataMetadata($"{(i % 2 == 0 ? "even" : "odd")}-{i}", new Dictionary<string, object?> { ["rank"] = i, ["team"] = i <= 2 ? "red" : "blue" })));
        }

        var page = await pinata.ListPinsAsync(new PinListQuery { PageLimit = 2, PageOffset = 1 });
        Assert.Equal(5, page.Count);
        Assert.Equal([pins[3].IpfsHash, pins[2].IpfsHash], page.Rows.Select(r => r.IpfsPinHash)); // newest first

        var named = await pinata.ListPinsAsync(new PinListQuery { MetadataName = "even" });
        Assert.Equal(["even-4", "even-2"], named.Rows.Select(r => r.Metadata!.Name));

        var ranked = await pinata.ListPinsAsync(new PinListQuery
        {
            MetadataKeyValues = new Dictionary<string, PinataKeyValueFilter> { ["rank"] = new(2, "gte"), ["team"] = new("blue") },
        });
        Assert.Equal(["odd-5", "even-4", "odd-3"], ranked.Rows.Select(r => r.Metadata!.Name));

        var between = await pinata.ListPinsAsync(new PinListQuery
        {
            MetadataKeyValues = new Dictionary<string, PinataKeyValueFilter> { ["rank"] = new(2, "between", 3) },
        });
        Assert.Equal(["odd-3", "even-2"], between.Rows.Select(r => r.Metadata!.Name));

        var dated = await pinata.ListPinsAsync(new PinListQuery
        {
            PinStart = new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero),
            PinEnd = new DateTimeOffset(2024, 1, 4, 0, 0, 0, TimeSpan.Zero),
        });
        Assert.Equal([pins[2].IpfsHash, pins[1].IpfsHash], dated.Rows.Select(r => r.IpfsPinHash));

        var sized = await pinata.ListPinsAsync(new PinListQuery { PinSizeMin = 20, PinSizeMax = 30, IncludeCount = false });
        Assert.Null(sized.Count);
        Assert.Equal([30L, 20L], sized.Rows.Select(r => r.Size));

        var byHash = await pinata.ListPinsAsync(new PinListQuery { HashContains = pins[0].IpfsHash[10..30] });
        Assert.Equal(pins[0].IpfsHash, Assert.Single(byHash.Rows).IpfsPinHash);
    }

    [Fact]
    public async Task ListPins_refuses_out_of_range_filters_before_sending()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        await Assert.ThrowsAsync<ArgumentException>(() => pinata.ListPinsAsync(new PinListQuery { PageLimit = 1001 }));
        await Assert.ThrowsAsync<ArgumentException>(() => pinata.ListPinsAsync(new PinListQuery
        {
            MetadataKeyValues = new Dictionary<string, PinataKeyValueFilter> { ["rank"] = new(1, "between") }, // no SecondValue
        }));
        await Assert.ThrowsAsync<ArgumentException>(() => pinata.ListPinsAsync(new PinListQuery
        {
            MetadataKeyValues = new Dictionary<string, PinataKeyValueFilter> { ["rank"] = new(1, "approximately") },
        }));
        Assert.Equal(0, scene.Imitation.Requests);
    }

    [Fact]
    public async Task A_wrong_jwt_is_401_INVALID_CREDENTIALS()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client("not-the-jwt");

        var e = await Assert.ThrowsAsync<PinataException>(() => pinata.PinFileAsync(HelloWorld, "hello.txt"));

        Assert.Equal(401, e.Status);
        Assert.Equal("INVALID_CREDENTIALS", e.Reason);
        Assert.Equal("Invalid/expired credentials", e.Details);
        Assert.DoesNotContain("not-the-jwt", e.Message);
        Assert.Empty(scene.Imitation.Pins);
    }

    [Fact]
    public async Task Without_a_jwt_every_call_throws_before_any_request()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client(jwt: null);

        Assert.False(pinata.IsLinked);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => pinata.PinFileAsync(HelloWorld, "hello.txt"));
        Assert.Contains("no Pinata JWT is linked", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pinata.PinFileAsync("missing.txt"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pinata.PinJsonAsync(new { a = 1 }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pinata.UpdateMetadataAsync(HelloWorldCidV1, new PinataMetadata("x")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pinata.UnpinAsync(HelloWorldCidV1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pinata.ListPinsAsync());
        Assert.Equal(0, scene.Imitation.Requests);
    }

    [Fact]
    public async Task An_injected_handler_sees_no_request_without_a_jwt_and_one_per_call_with_it()
    {
        await using var scene = await PinataScene.StartAsync();
        var handler = new CountingHandler();
        using var anonymous = new PinataClient(null, scene.BaseUrl, new Usrv.Route.Client.PeerOptions { Handler = handler, Timeout = TimeSpan.FromSeconds(5) });
        var counted = new CountingHandler();
        using var pinata = new PinataClient(PinataScene.Jwt, scene.BaseUrl, new Usrv.Route.Client.PeerOptions { Handler = counted, Timeout = TimeSpan.FromSeconds(5) });

        await Assert.ThrowsAsync<InvalidOperationException>(() => anonymous.PinJsonAsync(new { a = 1 }));
        await pinata.PinJsonAsync(new { a = 1 });

        Assert.Equal(0, handler.Count);
        Assert.Equal(1, counted.Count);
    }

    [Fact]
    public async Task A_blank_jwt_counts_as_none_even_against_a_closed_port()
    {
        // Nothing listens on this port: an attempt to send would be an HttpRequestException, not this.
        using var pinata = new PinataClient("  ", $"http://127.0.0.1:{LocalServer.FreePort()}", PinataScene.Bounded);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pinata.ListPinsAsync());
    }

    [Fact]
    public async Task The_jwt_can_come_from_usrv_secret_store()
    {
        await using var scene = await PinataScene.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"usrv-pinata-{Guid.NewGuid():N}.jwt");
        try
        {
            Usrv.Crypto.SecretStore.Dump(path, PinataScene.Jwt, "4321");

            using var pinata = PinataClient.FromSecretStore(path, "4321", scene.BaseUrl, PinataScene.Bounded);
            var pin = await pinata.PinFileAsync(HelloWorld, "hello.txt");

            Assert.Equal(HelloWorldCidV1, pin.IpfsHash);
            Assert.Throws<Usrv.Crypto.SecretStoreException>(() => PinataClient.FromSecretStore(path, "1234", scene.BaseUrl));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_base_url_with_a_path_keeps_it_as_a_prefix()
    {
        await using var scene = await PinataScene.StartAsync(prefix: "/pinata");
        using var pinata = scene.Client();

        var pin = await pinata.PinJsonAsync(new { ok = true });

        Assert.EndsWith("/pinata/", pinata.BaseAddress.ToString());
        Assert.Equal(pin.IpfsHash, Assert.Single((await pinata.ListPinsAsync()).Rows).IpfsPinHash);
    }

    [Fact]
    public async Task A_cidVersion_other_than_0_or_1_is_refused_before_sending()
    {
        await using var scene = await PinataScene.StartAsync();
        using var pinata = scene.Client();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pinata.PinFileAsync(HelloWorld, "a.txt", options: new PinataOptions(CidVersion: 2)));

        Assert.Equal(0, scene.Imitation.Requests);
    }

    [Fact]
    public async Task An_error_body_in_neither_shape_keeps_the_status_and_the_text()
    {
        var router = new Usrv.Route.Router().Bind("/data/pinList", () => Usrv.Route.Reply.Text(502, "upstream down"));
        await using var server = await LocalServer.StartAsync(router);
        using var pinata = new PinataClient(PinataScene.Jwt, server.Url.ToString(), PinataScene.Bounded);

        var e = await Assert.ThrowsAsync<PinataException>(() => pinata.ListPinsAsync());

        Assert.Equal(502, e.Status);
        Assert.Equal("Bad Gateway", e.Reason);
        Assert.Equal("upstream down", e.Details);
    }
}
