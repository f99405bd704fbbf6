import { createHash } from 'node:crypto';

/** The only verify_ret that means the face matched the ID. */
export const FACE_VERIFY_PASS = 10000;

export const CERT_TYPE_ID_CARD = 'IDENTITY_CARD';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/**
 * cert_hash as WeChat documents it for queryverifyinfo: standard base64 of each cert_info field,
 * joined as `cert_type=…&cert_name=…&cert_no=…`, then SHA-256 as lowercase hex.
 */
export function certHash(identity: { name: string; idNumber: string }): string {
  const joined = `cert_type=${b64(CERT_TYPE_ID_CARD)}&cert_name=${b64(identity.name)}&cert_no=${b64(identity.idNumber)}`;
  return createHash('sha256').update(joined).digest('hex');
}

/** What to tell the person after a face check that did not pass, by WeChat's verify_ret. */
export function faceVerifyAdvice(verifyRet: number): string {
  if (verifyRet === FACE_VERIFY_PASS) return '人脸核身已通过';
  if (verifyRet >= 90002 && verifyRet <= 90006) return '人脸核身已取消，如需继续办理请重新发起人脸核身';
  if (verifyRet >= 90008 && verifyRet <= 90010)
    return '请在手机系统设置中允许微信使用相机和麦克风，然后重新发起人脸核身';
  if (verifyRet === 90007 || verifyRet === 90012) return '网络不稳定导致人脸核身失败，请换到信号较好的地方重新核身';
  if (verifyRet === 90001 || verifyRet === 90109) return '当前手机不支持人脸核身，请更换手机后重试';
  if (verifyRet === 90017 || verifyRet === 90107) return '人脸核身超时，请正对屏幕、光线充足时重新核身';
  if (verifyRet > 10000 && verifyRet < 10100)
    return '人脸与身份信息比对未通过，请确认姓名和身份证号为法定代表人本人，并由本人重新核身';
  return '人脸核身未通过，请稍后重新发起人脸核身';
}
