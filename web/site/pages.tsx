import { divisionName, industrySectionName } from '@heihe/shared';
import type { PublicCase, PublicCases, PublicEntity, RedList, SiteContext, SiteView } from '@heihe/shared';
import { calendarDay, capital, chinaDay, excerpt } from './format';
import { Empty, Page, Pager, SITE_NAME } from './layout';

type View<P extends SiteView['page']> = Extract<SiteView, { page: P }>;

const CASE_STATUS: Record<PublicCase['status'], string> = {
  notice: '公示中',
  published: '已发布',
  withdrawn: '已撤销',
};

function RedListTable({ redList, compact = false }: { redList: RedList; compact?: boolean }) {
  if (!redList.items.length) return <Empty>名单暂无主体。</Empty>;
  return (
    <ul className="list">
      {redList.items.map((r) => (
        <li key={r.uscc} className="list-item">
          <a className="list-title" href={`/site/entities/${r.uscc}`}>
            {r.name}
          </a>
          <span className="grade-badge" title="信用评价等级">
            {r.grade} 级
          </span>
          <div className="list-meta">
            <span className="mono">{r.uscc}</span>
            {compact ? null : <span>评价日期 {chinaDay(r.gradedAt)}</span>}
            <span>列入日期 {chinaDay(r.listedAt)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}

function CaseCards({ cases }: { cases: PublicCases['items'] }) {
  if (!cases.length) return <Empty>暂无典型案例。</Empty>;
  return (
    <ul className="cards">
      {cases.map((c) => (
        <li key={c.id} className={`card card-${c.status}`}>
          <a href={`/site/cases/${c.id}`} className="card-link">
            {c.photo ? <img className="card-photo" src={c.photo} alt="" loading="lazy" /> : null}
            <span className={`tag tag-${c.status}`}>{CASE_STATUS[c.status]}</span>
            <strong className="card-title">{c.title}</strong>
            <span className="card-entity">{c.entityName}</span>
            <span className="card-text">{excerpt(c.reason, 60)}</span>
            <span className="card-date">
              {c.status === 'withdrawn'
                ? `${chinaDay(c.withdrawnAt)} 撤销`
                : c.status === 'published'
                  ? `${chinaDay(c.publishedAt)} 发布`
                  : `公示至 ${chinaDay(c.noticeUntil)}`}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function HomePage({ ctx, view }: { ctx: SiteContext; view: View<'home'> }) {
  return (
    <Page
      ctx={ctx}
      title={SITE_NAME}
      headerSearch={false}
      description="黑河市公共信用信息公示：查询市场主体的登记信息和行政处罚、严重失信、经营异常等公示信息，查看诚信主体名单和诚信典型案例，核验公共信用信息报告。"
    >
      <section className="hero">
        <h1>查询市场主体公共信用信息</h1>
        <p>输入企业名称或统一社会信用代码，查看登记信息和公示期内的行政处罚、名单信息。</p>
        <form className="hero-search" action="/site/search" method="get" role="search">
          <input
            name="q"
            type="search"
            required
            minLength={2}
            maxLength={60}
            placeholder="企业名称或统一社会信用代码"
            aria-label="查询市场主体"
          />
          <button type="submit">查询</button>
        </form>
        <p className="hero-links">
          <a href="/site/verify">核验信用报告 →</a>
        </p>
      </section>
      <div className="columns">
        <section className="panel">
          <h2>
            诚信主体名单 <small>共 {view.redList.total} 家</small>
          </h2>
          <RedListTable redList={{ ...view.redList, items: view.redList.items.slice(0, 6) }} compact />
          <p className="more">
            <a href="/site/red-list">查看完整名单及移出公告 →</a>
          </p>
        </section>
        <section className="panel">
          <h2>诚信典型案例</h2>
          <CaseCards cases={view.cases.items.slice(0, 3)} />
          <p className="more">
            <a href="/site/cases">全部案例 →</a>
          </p>
        </section>
      </div>
    </Page>
  );
}

export function SearchPage({ ctx, view }: { ctx: SiteContext; view: View<'search'> }) {
  const r = view.result;
  return (
    <Page
      ctx={ctx}
      title={view.q ? `“${view.q}”的查询结果` : '查询'}
      description="按企业名称或统一社会信用代码查询黑河市市场主体的公共信用信息。"
      headerSearch={false}
    >
      <form className="hero-search inline" action="/site/search" method="get" role="search">
        <input
          name="q"
          type="search"
          defaultValue={view.q}
          required
          minLength={2}
          maxLength={60}
          placeholder="企业名称或统一社会信用代码"
          aria-label="查询市场主体"
        />
        <button type="submit">查询</button>
      </form>
      {view.error ? <p className="alert alert-error">{view.error}</p> : null}
      {r ? (
        <section className="panel">
          <h1 className="h-small">查询结果</h1>
          {r.items.length ? (
            <ul className="list">
              {r.items.map((e) => (
                <li key={e.uscc} className="list-item">
                  <a className="list-title" href={`/site/entities/${e.uscc}`}>
                    {e.name}
                  </a>
                  {e.onRedList ? <span className="tag tag-red">诚信主体</span> : null}
                  <div className="list-meta">
                    <span className="mono">{e.uscc}</span>
                    <span>{e.status}</span>
                    <span>成立于 {calendarDay(e.establishedOn)}</span>
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>没有找到匹配的市场主体。请检查名称是否完整，或改用统一社会信用代码查询。</Empty>
          )}
          <Pager base={`/site/search?q=${encodeURIComponent(view.q)}`} page={r.page} hasMore={r.hasMore} />
        </section>
      ) : null}
    </Page>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function EntityPage({ ctx, view }: { ctx: SiteContext; view: View<'entity'> }) {
  const e: PublicEntity = view.entity;
  return (
    <Page
      ctx={ctx}
      title={e.name}
      description={`${e.name}（统一社会信用代码 ${e.uscc}）的公共信用信息：登记信息、公示期内的行政处罚与名单信息${e.redList ? '，诚信主体' : ''}。`}
    >
      <section className="panel entity-head">
        <h1>{e.name}</h1>
        <p className="entity-sub">
          <span className="mono">{e.uscc}</span>
          <span className="tag">{e.status}</span>
          {e.redList ? <span className="tag tag-red">诚信主体</span> : null}
        </p>
        {e.redList ? (
          <div className="redlist-box">
            <strong>已列入诚信主体名单</strong>
            <span>
              信用评价 <b className="grade-inline">{e.redList.grade} 级</b>（评价日期 {chinaDay(e.redList.gradedAt)}），
              {chinaDay(e.redList.listedAt)} 列入
            </span>
          </div>
        ) : null}
        {e.redListHistory.map((s) => (
          <p key={s.listedAt} className="alert alert-warn">
            {chinaDay(s.listedAt)} 列入诚信主体名单，{chinaDay(s.withdrawnAt)} 移出：{s.withdrawReason}
          </p>
        ))}
      </section>
      <section className="panel">
        <h2>登记信息</h2>
        <dl className="fields">
          <Field label="企业类型">{e.type}</Field>
          <Field label="法定代表人">{e.legalRepresentative ?? '—'}</Field>
          <Field label="成立日期">{calendarDay(e.establishedOn)}</Field>
          <Field label="注册资本">{capital(e.registeredCapital)}</Field>
          <Field label="所属行业">
            {industrySectionName(e.industryCode)}（{e.industryCode}）
          </Field>
          <Field label="所在地区">{divisionName(e.regionCode)}</Field>
        </dl>
      </section>
      <section className="panel">
        <h2>
          公示信息 <small>行政处罚、严重失信主体名单、经营异常名录</small>
        </h2>
        {e.records.length ? (
          <ul className="records">
            {e.records.map((r, i) => (
              <li key={i} className="record">
                <div className="record-head">
                  <strong>{r.kindLabel}</strong>
                  {r.detail ? <span className="tag">{r.detail}</span> : null}
                  {r.marks.map((m) => (
                    <span key={m} className="tag tag-warn">
                      {m}
                    </span>
                  ))}
                </div>
                {r.summary ? <p>{r.summary}</p> : null}
                <div className="list-meta">
                  {r.documentNo ? <span>文号 {r.documentNo}</span> : null}
                  {r.authority ? <span>{r.authority}</span> : null}
                  <span>决定日期 {calendarDay(r.occurredOn)}</span>
                  <span>公示至 {r.validTo ? calendarDay(r.validTo) : '长期'}</span>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>公示期内无行政处罚、严重失信主体名单和经营异常名录信息。</Empty>
        )}
        <p className="note">
          信息截至 {calendarDay(e.asOf)}。已修复或超过公示期的信息不予公示；“异议处理中”表示该信息正在核实。
          信用评价等级为内部评价，仅对列入诚信主体名单的主体公示。
        </p>
      </section>
      {e.typicalCases.length ? (
        <section className="panel">
          <h2>诚信典型案例</h2>
          <ul className="list">
            {e.typicalCases.map((c) => (
              <li key={c.id} className="list-item">
                <a className="list-title" href={`/site/cases/${c.id}`}>
                  {c.title}
                </a>
                <span className={`tag tag-${c.status}`}>
                  {CASE_STATUS[c.status as PublicCase['status']] ?? c.status}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}

export function RedListPage({ ctx, view }: { ctx: SiteContext; view: View<'red-list'> }) {
  const r = view.redList;
  return (
    <Page ctx={ctx} title="诚信主体名单" description={`黑河市诚信主体名单（共 ${r.total} 家）：${r.basis}。`}>
      <section className="panel">
        <h1>
          诚信主体名单 <small>共 {r.total} 家</small>
        </h1>
        <p className="note">{r.basis}。</p>
        <RedListTable redList={r} />
        <Pager base="/site/red-list" page={r.page} hasMore={r.hasMore} />
      </section>
      <section className="panel">
        <h2>移出公告（近 90 天）</h2>
        {r.withdrawn.length ? (
          <ul className="list">
            {r.withdrawn.map((w) => (
              <li key={`${w.uscc}-${w.withdrawnAt}`} className="list-item withdrawn">
                <a className="list-title" href={`/site/entities/${w.uscc}`}>
                  {w.name}
                </a>
                <span className="tag tag-withdrawn">已移出</span>
                <div className="list-meta">
                  <span>{chinaDay(w.withdrawnAt)} 移出</span>
                  <span>{w.withdrawReason}</span>
                  <span>列入日期 {chinaDay(w.listedAt)}</span>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>近 90 天没有主体移出名单。</Empty>
        )}
      </section>
    </Page>
  );
}

export function CasesPage({ ctx, view }: { ctx: SiteContext; view: View<'cases'> }) {
  return (
    <Page
      ctx={ctx}
      title="诚信典型案例"
      description="黑河市诚信典型案例：经推荐、核查、审核和公示后发布的守信企业案例；公示期内任何人均可提出异议。"
    >
      <section className="panel">
        <h1>诚信典型案例</h1>
        <p className="note">
          案例经推荐、自动核查（A
          级且公示期内无失信或负面记录）、审核和公示后发布；主体新增负面记录或等级下调时自动撤销。
        </p>
        <CaseCards cases={view.cases.items} />
        <Pager base="/site/cases" page={view.cases.page} hasMore={view.cases.hasMore} />
      </section>
    </Page>
  );
}

export function CasePage({ ctx, view }: { ctx: SiteContext; view: View<'case'> }) {
  const c = view.typicalCase;
  return (
    <Page
      ctx={ctx}
      title={c.title}
      ogType="article"
      ogImage={c.photos[0]?.url ?? null}
      description={`${c.entityName}：${excerpt(c.story ?? c.reason, 90)}`}
    >
      <article className="panel case">
        <p className="case-kicker">
          <span className={`tag tag-${c.status}`}>{CASE_STATUS[c.status]}</span> 诚信典型案例
        </p>
        <h1>{c.title}</h1>
        <p className="entity-sub">
          <a href={`/site/entities/${c.uscc}`}>{c.entityName}</a>
          <span className="mono">{c.uscc}</span>
        </p>
        {c.status === 'withdrawn' ? (
          <div className="alert alert-error" role="status">
            <strong>本案例已于 {chinaDay(c.withdrawnAt)} 撤销。</strong>
            <span>{c.withdrawReason}</span>
          </div>
        ) : null}
        {c.status === 'notice' ? (
          <div className="alert alert-info">
            <strong>
              公示期：{chinaDay(c.noticeFrom)} 至 {chinaDay(c.noticeUntil)}
            </strong>
            <span>公示期内，任何单位和个人均可对本案例提出异议，信用中心将核实处理。</span>
          </div>
        ) : null}
        {c.story ? (
          <div className="story">
            {c.story.split(/\n+/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </div>
        ) : (
          <div className="story">
            <h2>推荐理由</h2>
            <p>{c.reason}</p>
          </div>
        )}
        {c.photos.length ? (
          <div className="photos">
            {c.photos.map((ph) => (
              <figure key={ph.url}>
                <img src={ph.url} alt={ph.caption || c.title} loading="lazy" />
                {ph.caption ? <figcaption>{ph.caption}</figcaption> : null}
              </figure>
            ))}
          </div>
        ) : null}
        <p className="note">
          {c.publishedAt ? `${chinaDay(c.publishedAt)} 发布。` : null}
          {c.consentRecorded ? '企业已书面同意公开本案例。' : null}
          公示期 {chinaDay(c.noticeFrom)} 至 {chinaDay(c.noticeUntil)}。
        </p>
      </article>
      {c.objectionsOpen ? (
        <section className="panel" id="objection">
          <h2>对本案例提出异议</h2>
          {view.objection === 'received' ? (
            <p className="alert alert-ok" role="status">
              异议已收到，信用中心将在公示期结束前核实处理；异议成立的，案例将撤销。
            </p>
          ) : (
            <form className="form" method="post" action={`/site/cases/${c.id}/objections`} data-counter="statement">
              {view.error ? <p className="alert alert-error">{view.error}</p> : null}
              <label htmlFor="statement">异议内容（10 到 1000 字，请写明事实和依据；无需填写个人信息）</label>
              <textarea
                id="statement"
                name="statement"
                required
                minLength={10}
                maxLength={1000}
                rows={5}
                defaultValue={view.statement}
              />
              <div className="form-row">
                <span className="counter" data-for="statement" aria-live="polite" />
                <button type="submit">提交异议</button>
              </div>
            </form>
          )}
        </section>
      ) : null}
    </Page>
  );
}

const SECTION_NAMES: Record<string, string> = {
  administrative: '行政管理信息',
  honesty: '诚实守信信息',
  serious_dishonesty: '严重失信主体名单信息',
  abnormal_operation: '经营异常名录信息',
  judicial: '司法信息',
  other: '其他信用信息',
};

function RecordCounts({ records }: { records: Record<string, number> }) {
  const shown = Object.entries(records).filter(([, n]) => n > 0);
  if (!shown.length) return <>无公示信息</>;
  return (
    <ul className="counts">
      {shown.map(([k, n]) => (
        <li key={k}>
          {SECTION_NAMES[k] ?? k} {n} 条
        </li>
      ))}
    </ul>
  );
}

export function VerifyPage({ ctx, view }: { ctx: SiteContext; view: View<'verify'> }) {
  const o = view.outcome;
  return (
    <Page
      ctx={ctx}
      title="信用报告核验"
      description="核验黑河市公共信用信息报告的真伪：输入报告编号和验证码，或上传报告 PDF 文件。"
    >
      <section className="panel">
        <h1>公共信用信息报告核验</h1>
        {view.error ? <p className="alert alert-error">{view.error}</p> : null}
        {o?.kind === 'authentic' ? (
          <div className="verdict verdict-ok" role="status">
            <strong>✓ 报告真实有效</strong>
            <span>
              {o.by === 'file'
                ? '上传的文件与信用中心出具的报告完全一致。'
                : '报告编号与验证码匹配，该报告由黑河市公共信用信息中心出具。'}
              {o.report.expired ? '该报告已超过有效期，内容仅反映出具时的信息。' : null}
            </span>
          </div>
        ) : null}
        {o?.kind === 'not_found' ? (
          <div className="verdict verdict-bad" role="status">
            <strong>✗ 未找到匹配的报告</strong>
            <span>
              {o.by === 'file'
                ? '该文件与信用中心出具的任何报告都不一致：文件可能被修改过，或并非本平台出具。'
                : '报告编号或验证码不正确。请对照报告封面核对后重试。'}
            </span>
          </div>
        ) : null}
        {o?.kind === 'authentic' ? (
          <dl className="fields report">
            <Field label="报告编号">
              <span className="mono">{o.report.reportNo}</span>
            </Field>
            <Field label="市场主体">{o.report.enterpriseName}</Field>
            <Field label="统一社会信用代码">
              <span className="mono">{o.report.uscc}</span>
            </Field>
            <Field label="报告用途">{o.report.purpose}</Field>
            <Field label="出具时间">{chinaDay(o.report.generatedAt)}</Field>
            <Field label="有效期至">{chinaDay(o.report.validUntil)}</Field>
            <Field label="信用评价">
              {o.report.summary.grade
                ? `${o.report.summary.grade} 级（${o.report.summary.score ?? '—'} 分）`
                : '尚无评价'}
            </Field>
            <Field label="报告所载记录">
              <RecordCounts records={o.report.summary.records} />
            </Field>
          </dl>
        ) : null}
      </section>
      <div className="columns">
        <section className="panel">
          <h2>按报告编号核验</h2>
          <form className="form" method="get" action="/site/verify">
            <label htmlFor="no">报告编号</label>
            <input
              id="no"
              name="no"
              required
              maxLength={64}
              defaultValue={view.reportNo}
              autoComplete="off"
              className="mono"
            />
            <label htmlFor="code">验证码</label>
            <input
              id="code"
              name="code"
              required
              maxLength={64}
              defaultValue={view.code}
              autoComplete="off"
              className="mono"
            />
            <div className="form-row">
              <span className="hint">报告封面印有报告编号、验证码和二维码。</span>
              <button type="submit">核验</button>
            </div>
          </form>
        </section>
        <section className="panel">
          <h2>上传报告文件核验</h2>
          <form className="form" method="post" action="/site/verify" encType="multipart/form-data" data-upload="file">
            <label htmlFor="file">报告 PDF 文件（不超过 10 MB）</label>
            <input id="file" name="file" type="file" accept="application/pdf,.pdf" required />
            <div className="form-row">
              <span className="hint" data-file-status="file">
                文件仅用于比对，不会保存。
              </span>
              <button type="submit">上传核验</button>
            </div>
          </form>
        </section>
      </div>
    </Page>
  );
}

export function ErrorPage({ ctx, view }: { ctx: SiteContext; view: View<'error'> }) {
  return (
    <Page ctx={ctx} title={view.title} description={view.message}>
      <section className="panel error-page">
        <h1>{view.title}</h1>
        <p>{view.message}</p>
        <p>
          <a href="/site/">返回首页</a>
        </p>
      </section>
    </Page>
  );
}
