using System.Text;
using Usrv.Route;

namespace Usrv.Route.Tests;

public class FormDataTests
{
    private static async Task<FormData> RoundTrip(FormData form, MultipartLimits? limits = null)
    {
        var (body, contentType) = await form.EncodeAsync();
        return await FormData.ReadAsync(new MemoryStream(body), contentType, limits ?? new MultipartLimits());
    }

    [Fact]
    public async Task Fields_json_parts_and_files_round_trip()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, "from a file");
        try
        {
            using var sent = new FormData()
                .Add("title", "héllo")
                .AddJson("meta", new { tags = new[] { "sea" } })
                .AddFile("doc", path, "text/plain", "notes.txt")
                .AddFile("raw", new MemoryStream([1, 2, 3]), "raw.bin")
                .AddFile("bytes", [4, 5], "b.bin", "application/x-test");

            using var received = await RoundTrip(sent);

            Assert.Equal(["title", "meta", "doc", "raw", "bytes"], received.Parts.Select(p => p.Name));
            Assert.Equal("héllo", received["title"]);
            Assert.Equal("{\"tags\":[\"sea\"]}", received["meta"]);
            Assert.StartsWith("application/json", received.Get("meta")!.ContentType);
            var doc = received.Get("doc")!;
            Assert.True(doc.IsFile);
            Assert.Equal("notes.txt", doc.FileName);
            Assert.Equal("from a file", doc.Text);
            Assert.Equal([1, 2, 3], received.Get("raw")!.ReadAllBytes());
            Assert.Equal("application/x-test", received.Get("bytes")!.ContentType);
            Assert.Equal(["doc", "raw", "bytes"], received.Files.Select(f => f.Name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Large_parts_go_to_temporary_files_that_dispose_deletes()
    {
        var big = new byte[200_000];
        Random.Shared.NextBytes(big);
        var folder = Directory.CreateTempSubdirectory("usrv-test-").FullName;
        var received = await RoundTrip(new FormData().AddFile("big", big, "big.bin"), new MultipartLimits { MemoryThresholdBytes = 1024, TempFolder = folder });
        var part = received.Get("big")!;
        Assert.False(part.IsInMemory);
        Assert.Equal(big.Length, part.Length);
        Assert.Equal(big, part.ReadAllBytes());
        Assert.Single(Directory.GetFiles(folder));

        received.Dispose();

        Assert.Empty(Directory.GetFiles(folder));
        Directory.Delete(folder);
    }

    [Fact]
    public async Task A_body_without_a_boundary_is_a_400()
    {
        var error = await Assert.ThrowsAsync<ProblemException>(() => FormData.ReadAsync(new MemoryStream([]), "multipart/form-data", new MultipartLimits()));
        Assert.Equal(400, error.Status);
        Assert.Contains("boundary", error.Message);
    }

    [Fact]
    public async Task A_truncated_body_is_a_400()
    {
        var (body, contentType) = await new FormData().Add("a", "1").Add("b", "2").EncodeAsync();
        var truncated = body[..(body.Length - 20)];
        var error = await Assert.ThrowsAsync<ProblemException>(() => FormData.ReadAsync(new MemoryStream(truncated), contentType, new MultipartLimits()));
        Assert.Equal(400, error.Status);
    }

    [Theory]
    [InlineData("form-data")]
    [InlineData("form-data; name=\"\"")]
    [InlineData("form-data; name=")]
    [InlineData("form-data; filename=\"a.txt\"")]
    public async Task A_part_without_a_name_or_with_an_empty_one_is_a_400(string disposition)
    {
        var body = Encoding.ASCII.GetBytes(
            $"--b\r\nContent-Disposition: form-data; name=\"ok\"\r\n\r\n1\r\n--b\r\nContent-Disposition: {disposition}\r\n\r\nx\r\n--b--\r\n");

        var error = await Assert.ThrowsAsync<ProblemException>(
            () => FormData.ReadAsync(new MemoryStream(body), "multipart/form-data; boundary=b", new MultipartLimits()));

        Assert.Equal(400, error.Status);
        Assert.Equal("a multipart part has no name, or an empty one, in its Content-Disposition (RFC 7578 section 4.2)", error.Detail);
    }

    [Theory]
    [InlineData(1, 1_000_000, 1_000_000)]
    [InlineData(10, 100, 1_000_000)]
    [InlineData(10, 1_000_000, 300)]
    public async Task Bodies_over_a_limit_are_a_413(int maxParts, long maxPartBytes, long maxTotalBytes)
    {
        var form = new FormData().Add("a", "1").Add("b", new string('x', 200));
        var limits = new MultipartLimits { MaxParts = maxParts, MaxPartBytes = maxPartBytes, MaxTotalBytes = maxTotalBytes };
        var error = await Assert.ThrowsAsync<ProblemException>(() => RoundTrip(form, limits));
        Assert.Equal(413, error.Status);
    }

    public static class Uploads
    {
        [Bind("/upload", "POST")]
        public static (int, string?, long, string?) Upload(FormData form) =>
            (200, form["title"], form.Get("file")?.Length ?? -1, form.Get("file")?.FileName);

        [Bind("/echo", "POST")]
        public static (int, object?) Echo(object? data) => (200, data);
    }

    [Fact]
    public async Task Handlers_get_multipart_bodies_as_FormData_parameters_and_as_data()
    {
        var router = new Router().BindType(typeof(Uploads));
        var (body, contentType) = await new FormData().Add("title", "t").AddFile("file", new byte[5000], "f.bin").EncodeAsync();

        var upload = await router.HandleAsync(new UsrvRequest("POST", "/upload", RequestHeaders.From([new("Content-Type", contentType)]), new MemoryStream(body)) { ContentLength = body.Length });
        Assert.Equal("[\"t\",5000,\"f.bin\"]", upload.BodyText);

        var echo = await router.HandleAsync(new UsrvRequest("POST", "/echo", RequestHeaders.From([new("Content-Type", contentType)]), new MemoryStream(body)) { ContentLength = body.Length });
        Assert.Equal("{\"title\":\"t\",\"file\":{\"fileName\":\"f.bin\",\"contentType\":\"application/octet-stream\",\"length\":5000}}", echo.BodyText);
    }

    [Fact]
    public async Task A_multipart_body_has_its_own_size_limit_instead_of_the_body_limit()
    {
        var router = new Router(new RouterOptions { MaxRequestBodyBytes = 100 }).BindType(typeof(Uploads));
        var (body, contentType) = await new FormData().AddFile("file", new byte[5000], "f.bin").EncodeAsync();
        var response = await router.HandleAsync(new UsrvRequest("POST", "/upload", RequestHeaders.From([new("Content-Type", contentType)]), new MemoryStream(body)) { ContentLength = body.Length });
        Assert.Equal(200, response.Status);
        Assert.Equal(100, router.Options.MaxBodyBytesFor("application/json"));
        Assert.Equal(router.Options.Multipart.MaxTotalBytes, router.Options.MaxBodyBytesFor(contentType));
    }
}
