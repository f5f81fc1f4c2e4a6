using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Web;

namespace MineGuard.Features.Account.Pages;

/// <summary>修改密码: every role changes their own password (<see cref="PasswordChange"/>).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class PasswordModel(PasswordChange change) : PageModel
{
    [BindProperty, DataType(DataType.Password), MaxLength(200)]
    public string? CurrentPassword { get; set; }

    [BindProperty, DataType(DataType.Password), MaxLength(200)]
    public string? NewPassword { get; set; }

    [BindProperty, DataType(DataType.Password), MaxLength(200)]
    public string? ConfirmPassword { get; set; }

    /// <summary>After a change the page is shown again by a GET (?done=1), so a reload never repeats it.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Done { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await change.ChangeAsync(HttpContext, new PasswordChangeInput(CurrentPassword, NewPassword, ConfirmPassword), ct);
        if (result.Wait > TimeSpan.Zero)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            PasswordChange.SetRetryAfter(Response, result.Wait);
            ModelState.AddModelError("", PasswordChange.TooMany(result.Wait));
            return Page();
        }
        if (!result.Errors.Ok)
        {
            ModelState.AddFieldErrors(result.Errors, prefix: "");
            return Page();
        }
        return Redirect("/account/password?done=true");
    }
}
