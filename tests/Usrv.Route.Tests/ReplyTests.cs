using System.Runtime.CompilerServices;
using Usrv.Route;

namespace Usrv.Route.Tests;

public class ReplyTests
{
    private static UsrvResponse Write(object? result) => ReplyConverter.ToResponse(result, UsrvJson.Options);

    [Fact]
    public void A_status_tuple_answers_the_rest_as_a_json_array()
    {
        var response = Write((200, "a", "b"));
        Assert.Equal(200, response.Status);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        Assert.Equal("[\"a\",\"b\"]", response.BodyText);
    }

    [Fact]
    public void A_pair_answers_its_second_item_and_a_bare_status_answers_null()
    {
        Assert.Equal("{\"x\":1}", Write((200, new Dictionary<string, int> { ["x"] = 1 })).BodyText);
        Assert.Equal("null", Write(200).BodyText);
        Assert.Equal("null", Write(ValueTuple.Create(204)).BodyText);
    }

    [Fact]
    public void Tuples_of_eight_items_and_more_are_read_whole()
    {
        var response = Write((200, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        Assert.Equal("[1,2,3,4,5,6,7,8,9]", response.BodyText);
    }

    [Fact]
    public void Reference_tuples_work_too() =>
        Assert.Equal("[\"x\",2]", Write(Tuple.Create(201, "x", 2)).BodyText);

    [Theory]
    [InlineData("no status")]
    [InlineData(3.5)]
    public void A_first_item_that_is_not_an_int_status_is_a_406(object first)
    {
        var response = Write((first, 1));
        Assert.Equal(406, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
    }

    [Fact]
    public void Results_without_a_status_are_a_406()
    {
        Assert.Equal(406, Write("just text").Status);
        Assert.Equal(406, Write(null).Status);
        Assert.Equal(406, Write((42, "x")).Status); // 42 is not an HTTP status
    }

    [Fact]
    public void Statuses_of_400_and_more_are_rfc9457_problems_whose_detail_is_the_rest()
    {
        var response = Write((404, "no such user"));
        Assert.Equal(404, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such user\"}", response.BodyText);

        Assert.Equal("[\"x\",1]", Write((422, "x", 1)).Detail());
        Assert.False(Write(ValueTuple.Create(500)).Json().TryGetProperty("detail", out _));
    }

    [Fact]
    public void A_reply_is_sent_as_it_is()
    {
        var response = Write(Reply.Text(201, "made").WithHeader("Location", "/items/1"));
        Assert.Equal(201, response.Status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType);
        Assert.Equal("made", response.BodyText);
        Assert.Contains(new KeyValuePair<string, string>("Location", "/items/1"), response.Headers);
    }

    [Fact]
    public void Non_ascii_text_stays_readable() =>
        Assert.Equal("\"héllo 'x'\"", Write((200, "héllo 'x'")).BodyText);

    public static class BadReturns
    {
        public static class Text { [Bind("/t")] public static string T() => "x"; }
        public static class Nothing { [Bind("/n")] public static void N() { } }
        public static class PlainTask { [Bind("/p")] public static Task P() => Task.CompletedTask; }
        public static class WrongTuple { [Bind("/w")] public static (string, int) W() => ("x", 1); }
    }

    [Theory]
    [InlineData(typeof(BadReturns.Text), "returns string")]
    [InlineData(typeof(BadReturns.Nothing), "returns Void")]
    [InlineData(typeof(BadReturns.PlainTask), "returns Task")]
    [InlineData(typeof(BadReturns.WrongTuple), "returns ValueTuple<string, int>")]
    public void Return_types_that_can_never_carry_a_status_are_refused_at_bind_time(Type type, string message)
    {
        var error = Assert.Throws<BindingException>(() => new Router().BindType(type));
        Assert.Contains(message, error.Message);
        Assert.Contains("can never carry a status", error.Message);
    }

    [Fact]
    public async Task A_handler_that_throws_is_a_500_without_exception_text()
    {
        var router = new Router().Bind("/boom", object () => throw new InvalidOperationException("secret detail"));
        var response = await router.Get("/boom");
        Assert.Equal(500, response.Status);
        Assert.DoesNotContain("secret detail", response.BodyText);
        Assert.DoesNotContain("InvalidOperationException", response.BodyText);
    }

    [Fact]
    public async Task Development_mode_shows_the_exception_message_but_never_the_stack()
    {
        var router = new Router(new RouterOptions { DevelopmentMode = true }).Bind("/boom", object () => throw new InvalidOperationException("details"));
        var detail = (await router.Get("/boom")).Detail();
        Assert.Equal("System.InvalidOperationException: details", detail);
    }

    [Fact]
    public async Task A_handler_can_answer_a_specific_problem_by_throwing_ProblemException()
    {
        var router = new Router().Bind("/teapot", object () => throw new ProblemException(418, "short and stout"));
        var response = await router.Get("/teapot");
        Assert.Equal(418, response.Status);
        Assert.Equal("short and stout", response.Detail());
    }

    [Fact]
    public void An_ituple_is_what_replies_are_read_through()
    {
        ITuple tuple = (200, "x");
        Assert.Equal("\"x\"", Write(tuple).BodyText);
    }
}
