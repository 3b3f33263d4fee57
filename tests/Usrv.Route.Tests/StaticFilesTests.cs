using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>Static files in-process (the host tests repeat them over sockets): what a socket cannot show deterministically.</summary>
public sealed class StaticFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("usrv-static-unit-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_file_that_grows_while_it_is_sent_sends_only_the_length_announced()
    {
        var path = Path.Combine(_root, "log.txt");
        File.WriteAllText(path, "0123456789");
        var response = await new Router().MapStaticFiles(_root).Get("/log.txt");
        File.AppendAllText(path, "more bytes after the headers went out");

        await using var body = response.BodyStream!;
        Assert.Equal(10, body.Length);
        using var reader = new StreamReader(body);
        Assert.Equal("0123456789", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_range_reads_only_its_bytes()
    {
        File.WriteAllText(Path.Combine(_root, "digits.txt"), "0123456789");
        var response = await new Router().MapStaticFiles(_root).Send("GET", "/digits.txt", headers: ("Range", "bytes=3-4"));

        Assert.Equal(206, response.Status);
        await using var body = response.BodyStream!;
        using var reader = new StreamReader(body);
        Assert.Equal("34", await reader.ReadToEndAsync());
    }

    [Fact]
    public void A_missing_folder_is_refused_when_mapped() =>
        Assert.Throws<DirectoryNotFoundException>(() => new Router().MapStaticFiles(Path.Combine(_root, "nowhere")));

    [Fact]
    public async Task Static_files_answer_only_GET_and_HEAD()
    {
        File.WriteAllText(Path.Combine(_root, "a.txt"), "a");
        var router = new Router().MapStaticFiles(_root);
        Assert.Equal(404, (await router.Send("DELETE", "/a.txt")).Status);
        var head = await router.Send("HEAD", "/a.txt");
        Assert.Equal(200, head.Status);
        head.BodyStream!.Dispose();
    }
}
