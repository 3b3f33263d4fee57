using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>Streamed replies in the router (the wire, on both hosts: Usrv.Host.Tests' StreamingTests).</summary>
public class StreamedReplyTests
{
    public record Tick(int N);

    private static async IAsyncEnumerable<int> Count(int count, [EnumeratorCancellation] CancellationToken aborted = default)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            aborted.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    private static async IAsyncEnumerable<SseItem<Tick>> Ticks()
    {
        for (int n = 1; n <= 2; n++)
        {
            await Task.Yield();
            yield return new SseItem<Tick>(new Tick(n), "tick") { EventId = n.ToString() };
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> Lines()
    {
        await Task.Yield();
        yield return new SseItem<string>("one\ntwo");
    }

    private static async Task<string> BodyOf(UsrvResponse response) => Encoding.UTF8.GetString((await response.ReadBodyAsync()).Span);

    [Fact]
    public async Task A_handler_returning_IAsyncEnumerable_binds_and_answers_a_json_array_written_by_a_body_writer()
    {
        var router = new Router().Bind("/numbers", (int count) => Count(count));
        var response = await router.Get("/numbers?count=3");
        Assert.Equal(200, response.Status);
        Assert.Equal(ReplyConverter.JsonContentType, response.ContentType);
        Assert.NotNull(response.BodyWriter);
        Assert.True(response.Body.IsEmpty);
        // A number sent before a pause (the next item not ready at once) ends with a line end: whitespace, still JSON.
        Assert.Equal("[0,1,2]", (await BodyOf(response)).Replace("\n", ""));
    }

    [Fact]
    public async Task An_empty_stream_is_an_empty_array_and_items_are_json_with_the_router_settings()
    {
        var router = new Router().Bind("/none", () => Count(0)).Bind("/ticks", () => Reply.JsonArray(201, Ticks().Select(t => t.Data)));
        Assert.Equal("[]", await BodyOf(await router.Get("/none")));
        var ticks = await router.Get("/ticks");
        Assert.Equal(201, ticks.Status);
        Assert.Equal("[{\"n\":1},{\"n\":2}]", await BodyOf(ticks));
    }

    [Fact]
    public async Task SseItem_streams_are_server_sent_events_framed_by_SseFormatter()
    {
        var router = new Router().Bind("/ticks", () => Ticks()).Bind("/lines", () => Reply.Events(200, Lines()).WithHeader("X-A", "b"));
        var ticks = await router.Get("/ticks");
        Assert.Equal("text/event-stream", ticks.ContentType);
        Assert.Equal("event: tick\ndata: {\"n\":1}\nid: 1\n\nevent: tick\ndata: {\"n\":2}\nid: 2\n\n", await BodyOf(ticks));
        var lines = await router.Get("/lines");
        Assert.Contains(lines.Headers, h => h.Key == "X-A" && h.Value == "b");
        Assert.Equal("data: one\ndata: two\n\n", await BodyOf(lines)); // text data as it is, a line per data line
    }

    [Fact]
    public async Task Reply_FromWriter_hands_its_writer_the_output_and_the_token()
    {
        var router = new Router().Bind("/raw", () => Reply.FromWriter(200, async (stream, token) =>
        {
            await stream.WriteAsync("abc"u8.ToArray(), token);
        }, "text/plain"));
        var response = await router.Get("/raw");
        Assert.Equal("text/plain", response.ContentType);
        Assert.Equal("abc", await BodyOf(response));
    }

    [Fact]
    public async Task A_streamed_reply_keeps_its_cookies_and_its_body_writer()
    {
        var router = new Router().Bind("/numbers", () => Reply.JsonArray(200, Count(2)).WithCookie("seen", "1"));
        var response = await router.Get("/numbers");
        Assert.Contains(response.Headers, h => h.Key == "Set-Cookie" && h.Value.StartsWith("seen=1", StringComparison.Ordinal));
        Assert.Equal("[0,1]", (await BodyOf(response)).Replace("\n", ""));
    }

    [Fact]
    public async Task WithHeader_keeps_the_body_writer()
    {
        var router = new Router().Bind("/numbers", () => Count(2));
        var response = (await router.Get("/numbers")).WithHeader("X-Trace", "t");
        Assert.Equal("[0,1]", (await BodyOf(response)).Replace("\n", ""));
    }

    public static class Streams
    {
        [Bind("/items")]
        public static IAsyncEnumerable<string> Items() => new[] { "a", "b" }.ToAsyncEnumerable();
    }

    [Fact]
    public async Task Bound_methods_stream_too_and_the_shape_is_chosen_at_bind_time()
    {
        var router = new Router().BindType(typeof(Streams));
        Assert.Equal("[\"a\",\"b\"]", await BodyOf(await router.Get("/items")));
        // A return type that is neither a status nor a stream is still refused when bound.
        Assert.Throws<BindingException>(() => new Router().Bind("/s", () => "text"));
    }
}
