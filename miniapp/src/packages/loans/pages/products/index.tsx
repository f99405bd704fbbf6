import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback } from 'react';
import type { LoanProduct } from '@heihe/shared';
import { Empty, Loading, NotFound, RemoteError } from '@/components/StatusView';
import { usePullRefresh } from '@/hooks/usePullRefresh';
import { useRemote } from '@/hooks/useRemote';
import { idParam, loanApplicationsUrl, loanApplyUrl, loanAuthorizationsUrl } from '@/routes';
import { listLoanProducts } from '../../api';
import { loansText as t } from '../../text';
import '../../loans.css';

function Product({ product, entityId }: { product: LoanProduct; entityId: number }) {
  return (
    <View className="card" data-testid={`product-${product.id}`}>
      <View className="product__head">
        <Text className="product__name">{product.name}</Text>
      </View>
      <Text className="muted product__bank">{product.bankName}</Text>
      {product.description ? <Text className="product__desc">{product.description}</Text> : null}
      <View className="facts">
        <View className="facts__item">
          <Text className="muted">{t.labels.limit}</Text>
          <Text className="facts__value">{t.limit(product.minAmount, product.maxAmount)}</Text>
        </View>
        <View className="facts__item">
          <Text className="muted">{t.labels.rate}</Text>
          <Text className="facts__value">{t.rate(product.minRate, product.maxRate)}</Text>
        </View>
        <View className="facts__item">
          <Text className="muted">{t.labels.term}</Text>
          <Text className="facts__value">{t.term(product.termMonths)}</Text>
        </View>
        <View className="facts__item">
          <Text className="muted">{t.labels.sla}</Text>
          <Text className="facts__value">{t.sla(product.slaDays)}</Text>
        </View>
      </View>
      <Button
        className="btn-primary"
        data-testid={`apply-${product.id}`}
        onClick={() => void Taro.navigateTo({ url: loanApplyUrl(entityId, product.id) })}
      >
        {t.apply}
      </Button>
    </View>
  );
}

/** The products this enterprise qualifies for, with 推介 at grade A, and the ways to its applications and authorisations. */
export default function LoanProductsPage() {
  const { params } = useRouter();
  const entityId = idParam(params.entityId);
  const load = useCallback(() => listLoanProducts(entityId as number), [entityId]);
  const [state, reload, refreshing] = useRemote(entityId === null ? null : String(entityId), load);
  usePullRefresh(reload, refreshing);

  if (entityId === null) return <NotFound />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <RemoteError state={state} onRetry={reload} />;
  const { grade, recommended, items } = state.data;
  const go = (url: string) => void Taro.navigateTo({ url });
  return (
    <View className="page">
      <View className="card loans-head">
        <View className="product__head">
          <Text className="card__title loans-head__grade" data-testid="loan-grade">
            {t.gradeLine(grade)}
          </Text>
          {recommended ? (
            <Text className="badge" data-testid="recommended-badge">
              {t.recommended}
            </Text>
          ) : null}
        </View>
        <Text className="muted">{t.qualifyHint}</Text>
        {recommended ? (
          <Text className="loans-banner" data-testid="recommended-banner">
            {t.recommendedBanner}
          </Text>
        ) : null}
      </View>
      <View className="loans-links">
        <Button
          className="btn-plain loans-links__item"
          data-testid="my-loan-applications"
          onClick={() => go(loanApplicationsUrl(entityId))}
        >
          {t.myApplications}
        </Button>
        <Button
          className="btn-plain loans-links__item"
          data-testid="my-authorizations"
          onClick={() => go(loanAuthorizationsUrl(entityId))}
        >
          {t.myAuthorizations}
        </Button>
      </View>
      {items.length === 0 ? (
        <Empty title={t.noProducts} hint={t.noProductsHint} />
      ) : (
        items.map((p) => <Product key={p.id} product={p} entityId={entityId} />)
      )}
    </View>
  );
}
