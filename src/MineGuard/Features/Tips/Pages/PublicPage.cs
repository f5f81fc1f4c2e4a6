using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MineGuard.Features.Tips.Pages;

/// <summary>
/// Base of the public pages under /report: anonymous, and before any handler runs the caller's address is hashed
/// for the rate limiter and removed from the request, with the User-Agent, cookies and forwarding headers
/// (<see cref="PublicGuard.Admit"/>), so nothing the page does can store or log them. Responses are not cached.
/// </summary>
/// <remarks>
/// Anti-forgery: the public forms carry no anti-forgery token, because the token needs a cookie and the tip must not
/// be tied to one. Nothing is lost: a cross-site forgery needs a logged-in victim whose session it borrows, and these
/// pages have no session — a forged post is just an anonymous tip, which anyone may send directly. Abuse is handled
/// instead by the rate limits and, where JavaScript runs, the signed single-use proof-of-work challenge, which plays a
/// form token's part (it proves the post came from a form this server issued) without any cookie.
/// </remarks>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public abstract class PublicPage(PublicGuard guard) : PageModel
{
    protected PublicGuard Guard => guard;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        guard.Admit(HttpContext);
        HttpContext.Response.Headers.CacheControl = "no-store";
        await next();
    }
}
