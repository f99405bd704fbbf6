import Taro from '@tarojs/taro';
import { applicationUrl, type ApplicationKindRoute } from '@/routes';

/** After filing: say so, and put the new application in the form's place (back leads past it). */
export function showFiled(kind: ApplicationKindRoute, message: string, id: number): void {
  void Taro.showToast({ title: message, icon: 'success' });
  void Taro.redirectTo({ url: applicationUrl(kind, id) });
}
