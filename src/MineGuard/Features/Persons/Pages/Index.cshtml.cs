using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.People;

namespace MineGuard.Features.Persons.Pages;

/// <summary>责任人名录: search and pages, Excel import and export, and same-phone duplicates to merge (the office).</summary>
[Authorize(Policy = Policies.Staff)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public PersonList? Result { get; private set; }

    /// <summary>The shared pager's view of this page (its links keep the keyword).</summary>
    public IPaged Pager => Result is { } r ? new PageOf<PersonView>(r.Items, r.Total, r.Page, r.PageSize) : PageOf<PersonView>.Empty();
    public List<DuplicateGroup> Duplicates { get; private set; } = [];
    public bool Manages => PersonSheets.ManagesPeople(db);
    public PersonImportResult? Imported { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Message = done;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (!db.CurrentUser.IsInRole(Roles.Office)) return Forbid();
        await using var stream = file?.OpenReadStream();
        var (result, errors) = await PersonSheets.ImportAsync(db, file?.FileName, stream, file?.Length ?? 0, ct);
        if (result is null) Error = string.Join("；", errors.Values.SelectMany(v => v));
        else
        {
            Imported = result;
            Message = $"导入完成：新增 {result.Created} 人，更新 {result.Updated} 人，未变 {result.Unchanged} 人" +
                      (result.Errors.Count > 0 ? $"，{result.Errors.Select(e => e.Row).Distinct().Count()} 行有误未导入（见下表）" : "");
        }
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMergeAsync(Guid id, Guid? into, CancellationToken ct)
    {
        if (!db.CurrentUser.IsInRole(Roles.Office)) return Forbid();
        try
        {
            var result = await PersonsApi.Merge(id, new PersonMergeInput(into), db, ct);
            switch (result.Result)
            {
                case Microsoft.AspNetCore.Http.HttpResults.NotFound:
                    return NotFound();
                case ValidationProblem problem:
                    Error = string.Join("；", problem.ProblemDetails.Errors.Values.SelectMany(v => v));
                    break;
                default:
                    return Redirect($"/persons?done={Uri.EscapeDataString("已合并")}");
            }
        }
        catch (BusinessRuleException rule)
        {
            Error = rule.Message;
        }
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var list = await PersonsApi.List(Q, null, PageNumber is > 0 ? PageNumber : 1, 50, db, ct);
        if (list.Result is Ok<PersonList> ok) Result = ok.Value;
        else if (list.Result is ValidationProblem problem) Error = string.Join("；", problem.ProblemDetails.Errors.Values.SelectMany(v => v));
        if (db.CurrentUser.IsInRole(Roles.Office)) Duplicates = (await PersonsApi.Duplicates(db, ct)).Value ?? [];
    }

    public string ExportLink() => $"/api/persons/export?q={Uri.EscapeDataString(Q ?? "")}";
}
