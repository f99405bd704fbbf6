import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { LOAN_DATA_SCOPES, type LoanDataScope, type LoanProduct } from '@heihe/shared/dist/api/loans';
import { getSubscribeTemplates, getUser, recordSubscribeConsent, userMessage, type SubscribeTemplates } from '@/api';
import { Chips } from '@/components/Chips';
import { Field } from '@/components/Field';
import { Loading, NotFound, RemoteError } from '@/components/StatusView';
import { SubmitBar } from '@/components/SubmitBar';
import { useRemote } from '@/hooks/useRemote';
import { idParam, loanApplicationsUrl } from '@/routes';
import { formatDateCst } from '@/utils/format';
import { createLoanApplication, listLoanProducts } from '../../api';
import { loansText as t } from '../../text';
import '../../loans.css';

const DAY_OPTIONS = ['30', '60', '90'] as const;
type DayOption = (typeof DAY_OPTIONS)[number];
const DAY_LABELS: Record<DayOption, string> = { '30': t.days(30), '60': t.days(60), '90': t.days(90) };
const SUBSCRIBE = process.env.TARO_ENV === 'weapp';

type Errors = Partial<Record<'amount' | 'termMonths' | 'purpose' | 'scopes' | 'agree', string>>;

function ApplyForm({ product, entityId }: { product: LoanProduct; entityId: number }) {
  const enterprise = getUser()?.enterprises.find((e) => e.entityId === entityId)?.name ?? '本企业';
  const [amount, setAmount] = useState('');
  const [term, setTerm] = useState(String(Math.min(12, product.termMonths)));
  const [purpose, setPurpose] = useState('');
  const [scopes, setScopes] = useState<LoanDataScope[]>([...LOAN_DATA_SCOPES]);
  const [days, setDays] = useState<DayOption>('90');
  const [agree, setAgree] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [templates, setTemplates] = useState<SubscribeTemplates | null>(null);
  useEffect(() => {
    if (SUBSCRIBE) getSubscribeTemplates().then(setTemplates, () => setTemplates(null));
  }, []);

  // 2027年3月7日, not 2027-03-07: a line may break inside a Han date, never inside a hyphenated one.
  const [y, m, d] = formatDateCst(new Date(Date.now() + Number(days) * 86_400_000).toISOString()).split('-');
  const until = `${y}年${Number(m)}月${Number(d)}日`;
  const scopeWords = scopes.length ? scopes.map((s) => t.scopeLabels[s]).join('和') : '（未选择内容）';
  const toggleScope = (s: LoanDataScope) => {
    setErrors((e) => ({ ...e, scopes: undefined }));
    setScopes((cur) =>
      cur.includes(s) ? cur.filter((x) => x !== s) : LOAN_DATA_SCOPES.filter((x) => x === s || cur.includes(x)),
    );
  };

  const validate = (): Errors => {
    const e: Errors = {};
    const a = Number(amount);
    if (!amount.trim() || !Number.isInteger(a)) e.amount = '请填写整数万元';
    else if (a < product.minAmount || a > product.maxAmount)
      e.amount = t.amountHint(product.minAmount, product.maxAmount);
    const m = Number(term);
    if (!Number.isInteger(m) || m < 1) e.termMonths = '请填写整数月';
    else if (m > product.termMonths) e.termMonths = t.termHint(product.termMonths);
    if (purpose.trim().length < 2) e.purpose = '请填写资金用途';
    if (!scopes.length) e.scopes = t.mustScope;
    if (!agree) e.agree = t.mustAgree;
    return e;
  };

  const submit = async () => {
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setFailure(null);
    if (SUBSCRIBE && templates) {
      try {
        const res = await Taro.requestSubscribeMessage({ tmplIds: [templates.decision], entityIds: [] });
        if ((res as Record<string, unknown>)[templates.decision] === 'accept')
          await recordSubscribeConsent([templates.decision]);
      } catch {
        // No message later; the application goes ahead.
      }
    }
    try {
      const created = await createLoanApplication({
        entityId,
        productId: product.id,
        amount: Number(amount),
        termMonths: Number(term),
        purpose: purpose.trim(),
        authorization: { scopes, days: Number(days) },
      });
      void Taro.showToast({ title: '已提交', icon: 'success' });
      void Taro.redirectTo({ url: loanApplicationsUrl(entityId, created.id) });
    } catch (error) {
      setFailure(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <View className="card">
        <Text className="product__name">{product.name}</Text>
        <Text className="muted product__bank">{product.bankName}</Text>
        <Text className="line">
          {t.labels.rate} {t.rate(product.minRate, product.maxRate)} · {t.term(product.termMonths)} ·{' '}
          {t.sla(product.slaDays)}
        </Text>
      </View>
      <View className="card">
        <Field
          label={t.amount}
          name="amount"
          error={errors.amount}
          hint={t.amountHint(product.minAmount, product.maxAmount)}
        >
          <Input
            className="field__input"
            type="number"
            value={amount}
            maxlength={6}
            placeholder={`${product.minAmount}–${product.maxAmount}`}
            onInput={(e) => setAmount(e.detail.value)}
            data-testid="input-amount"
          />
        </Field>
        <Field label={t.termMonths} name="termMonths" error={errors.termMonths} hint={t.termHint(product.termMonths)}>
          <Input
            className="field__input"
            type="number"
            value={term}
            maxlength={3}
            onInput={(e) => setTerm(e.detail.value)}
            data-testid="input-term"
          />
        </Field>
        <Field label={t.purpose} name="purpose" error={errors.purpose}>
          <Textarea
            className="field__textarea"
            value={purpose}
            maxlength={200}
            placeholder={t.purposePlaceholder}
            onInput={(e) => setPurpose(e.detail.value)}
            data-testid="input-purpose"
          />
        </Field>
      </View>
      <View className="card" data-testid="authorization">
        <Text className="card__title">{t.authTitle}</Text>
        <Field label={t.authScopes} name="scopes" error={errors.scopes}>
          {LOAN_DATA_SCOPES.map((s) => (
            <View
              key={s}
              className={`toggle ${scopes.includes(s) ? 'toggle--on' : ''}`}
              ariaRole="checkbox"
              data-selected={scopes.includes(s)}
              data-testid={`scope-${s}`}
              onClick={() => toggleScope(s)}
            >
              <Text className="toggle__box">{scopes.includes(s) ? '✓' : ''}</Text>
              <Text>{t.scopeLabels[s]}</Text>
            </View>
          ))}
        </Field>
        <Field label={t.authDays} name="days">
          <Chips name="days" options={DAY_OPTIONS} labels={DAY_LABELS} value={days} onChange={setDays} />
        </Field>
        <Text className="statement" data-testid="authorization-statement">
          {t.statement({ enterprise, bank: product.bankName, scopes: scopeWords, until })}
        </Text>
        <Text className="statement__note">{t.statementRevoke}</Text>
        <View
          className={`toggle revoke ${agree ? 'toggle--on' : ''}`}
          ariaRole="checkbox"
          data-selected={agree}
          data-testid="agree"
          onClick={() => {
            setAgree(!agree);
            setErrors((e) => ({ ...e, agree: undefined }));
          }}
        >
          <Text className="toggle__box">{agree ? '✓' : ''}</Text>
          <Text>{t.agree}</Text>
        </View>
        {errors.agree ? (
          <Text className="field__error" data-testid="error-agree">
            {errors.agree}
          </Text>
        ) : null}
      </View>
      <SubmitBar label={t.submit} note={t.submitNote} busy={busy} error={failure} onSubmit={() => void submit()} />
    </View>
  );
}

/** Apply for one product, with the bank's data authorisation stated in words and agreed to in the same step. */
export default function LoanApplyPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const productId = idParam(params.productId);
  const load = useCallback(
    () => listLoanProducts(entityId as number).then((list) => list.items.find((p) => p.id === productId) ?? null),
    [entityId, productId],
  );
  const [state, reload] = useRemote(entityId === null || productId === null ? null : `${entityId}:${productId}`, load);

  if (entityId === null || productId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  if (!state.data) return <NotFound hint="该产品已下架，或本企业暂不符合申请条件" />;
  return <ApplyForm product={state.data} entityId={entityId} />;
}
