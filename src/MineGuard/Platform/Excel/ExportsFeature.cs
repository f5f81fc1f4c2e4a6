using Microsoft.AspNetCore.Http.HttpResults;
using MineGuard.Data;
using MineGuard.Platform.Auth;
using MineGuard.Platform.Hosting;
using MineGuard.Platform.Web;

namespace MineGuard.Platform.Excel;

/// <summary>
/// Large exports run in the background (<see cref="Export"/>, <see cref="ExportJobs"/>): the POST that started one
/// answered 202 with its id; its owner follows it here and fetches the file once. Anyone else gets 404.
/// </summary>
public sealed class ExportsFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration config) => services.AddSingleton<ExportJobs>();

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/exports").RequireAuthorization(Policies.Staff).WithTags("exports");
        api.MapGet("/{id:guid}", Status).WithSummary("后台导出的进度（已导出行数、总行数，完成后给出下载地址）");
        api.MapGet("/{id:guid}/file", Download).WithSummary("下载后台导出的文件（仅发起人，下载一次后删除）");
        api.MapDelete("/{id:guid}", Cancel).WithSummary("取消后台导出（仅发起人；停止导出并删除已生成的文件）");
    }

    public static Results<Ok<ExportJobView>, NotFound> Status(Guid id, ExportJobs jobs, AppDbContext db) =>
        jobs.Find(id, db.CurrentUser.Id) is { } job ? TypedResults.Ok(job.View()) : TypedResults.NotFound();

    public static Results<FileStreamHttpResult, NotFound> Download(Guid id, ExportJobs jobs, AppDbContext db)
    {
        if (jobs.Find(id, db.CurrentUser.Id) is not { } job) return TypedResults.NotFound();
        Rule.Check(job.State == "done", "ExportNotReady", job.State switch
        {
            "failed" => job.Error ?? "导出失败",
            "cancelled" => "该导出已取消，请重新导出",
            _ => "导出尚未完成，请稍候",
        });
        return TypedResults.File(jobs.Take(job), job.Format.ContentType, job.DownloadName);
    }

    /// <summary>取消: the job stops and its file is deleted; its state then reads 已取消.</summary>
    public static Results<Ok<ExportJobView>, NotFound> Cancel(Guid id, ExportJobs jobs, AppDbContext db)
    {
        if (jobs.Find(id, db.CurrentUser.Id) is not { } job) return TypedResults.NotFound();
        jobs.Cancel(job);
        return TypedResults.Ok(job.View());
    }
}
