using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Usrv.Plugins.Tests;

/// <summary>The Pinata imitation refuses what Pinata refuses, seen from a plain HttpClient.</summary>
public sealed class PinataImitationTests
{
    private static async Task<(int Status, JsonElement Body)> SendAsync(PinataScene scene, HttpRequestMessage request)
    {
        using var http = new HttpClient { BaseAddress = new Uri(scene.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task No_credentials_at_all_is_400_KEYS_MUST_BE_STRINGS()
    {
        await using var scene = await PinataScene.StartAsync();

        var (status, body) = await SendAsync(scene, new HttpRequestMessage(HttpMethod.Get, "data/pinList"));

        Assert.Equal(400, status);
        Assert.Equal("KEYS_MUST_BE_STRINGS", body.GetProperty("error").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_scheme_other_than_Bearer_is_401_INVALID_CREDENTIALS()
    {
        await using var scene = await PinataScene.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "data/pinList");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + PinataScene.Jwt);

        var (status, body) = await SendAsync(scene, request);

        Assert.Equal(401, status);
        Assert.Equal("INVALID_CREDENTIALS", body.GetProperty("error").GetProperty("reason").GetString());
        Assert.Equal("Invalid/expired credentials", body.GetProperty("error").GetProperty("details").GetString());
    }

    [Fact]
    public async Task PinFileToIPFS_needs_a_multipart_body_with_a_file_part()
    {
        await using var scene = await PinataScene.StartAsync();

        var json = Authorized(HttpMethod.Post, "pinning/pinFileToIPFS");
        json.Content = new StringContent("{\"file\":\"hello\"}", Encoding.UTF8, "application/json");
        var (status, body) = await SendAsync(scene, json);
        Assert.Equal(400, status);
        Assert.Equal("Invalid request format.", body.GetProperty("error").GetString());

        var noFile = Authorized(HttpMethod.Post, "pinning/pinFileToIPFS");
        noFile.Content = new MultipartFormDataContent { { new StringContent("{\"cidVersion\":1}"), "pinataOptions" } };
        (status, body) = await SendAsync(scene, noFile);
        Assert.Equal(400, status);
        Assert.Equal("Invalid request format.", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PinFileToIPFS_parses_the_json_parts()
    {
        await using var scene = await PinataScene.StartAsync();

        var badOptions = Authorized(HttpMethod.Post, "pinning/pinFileToIPFS");
        badOptions.Content = Form("{\"cidVersion\":7}", "{\"name\":\"x\"}");
        var (status, _) = await SendAsync(scene, badOptions);
        Assert.Equal(400, status);

        var good = Authorized(HttpMethod.Post, "pinning/pinFileToIPFS");
        good.Content = Form("{\"cidVersion\":1}", "{\"name\":\"greeting\",\"keyvalues\":{\"lang\":\"en\"}}");
        (status, var body) = await SendAsync(scene, good);
        Assert.Equal(200, status);
        Assert.StartsWith("bafkrei", body.GetProperty("IpfsHash").GetString());
        Assert.Equal("greeting", scene.Imitation.Pins[0].Name);
        Assert.Equal("en", scene.Imitation.Pins[0].KeyValues["lang"].GetString());
    }

    [Fact]
    public async Task Without_pinataOptions_Pinata_makes_a_CIDv0()
    {
        await using var scene = await PinataScene.StartAsync();
        var request = Authorized(HttpMethod.Post, "pinning/pinFileToIPFS");
        var file = new ByteArrayContent("hello world"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Content = new MultipartFormDataContent { { file, "file", "hello.txt" } };

        var (status, body) = await SendAsync(scene, request);

        Assert.Equal(200, status);
        Assert.Equal("QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4", body.GetProperty("IpfsHash").GetString()); // sha2-256 multihash of "hello world"
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PinataScene.Jwt);
        return request;
    }

    private static MultipartFormDataContent Form(string options, string metadata) => new()
    {
        { new ByteArrayContent("hello world"u8.ToArray()), "file", "hello.txt" },
        { new StringContent(options), "pinataOptions" },
        { new StringContent(metadata), "pinataMetadata" },
    };
}
