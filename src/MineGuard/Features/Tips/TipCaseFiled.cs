using Microsoft.EntityFrameworkCore;
using MineGuard.Data;
using MineGuard.Platform.Cases;
using MineGuard.Platform.Jurisdiction;

namespace MineGuard.Features.Tips;

/// <summary>
/// A case filed from a clue whose source is a tip: the tip records the case and its reward rises to the case tier, by
/// the same path as a case number typed on the tip (<see cref="TipCommands.RaiseForCaseAsync"/>). The filing officer's
/// department may not hold the tip's share, so the tip is read past the filters to be changed, never shown.
/// </summary>
public sealed class TipCaseFiled(AppDbContext db, TipCommands commands) : ICaseFiledOn
{
    public string SourceType => "tip";

    public async Task<string?> CaseFiledAsync(Guid sourceId, string caseNumber, DateOnly filedOn, CancellationToken ct)
    {
        var tip = await db.Set<Tip>().Beyond(ScopeExit.SystemJudgement).FirstOrDefaultAsync(t => t.Id == sourceId, ct);
        if (tip is null || tip.Outcome is not (TipOutcome.True or TipOutcome.PartlyTrue) || tip.CaseNumber == caseNumber) return null;
        await commands.RaiseForCaseAsync(tip, caseNumber, filedOn, ct);
        return "来源举报已记录立案，举报奖励调整为立案档次";
    }
}
