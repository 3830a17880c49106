import { codesIn, withUnitNames } from '../../common/unit-names';

describe('units by name in what people read', () => {
  const names = new Map([
    ['W-BEN-THANH', 'Phường Bến Thành'],
    ['HCMC-PC08', 'Phòng Cảnh sát giao thông'],
    ['HCMC', 'Thành phố Hồ Chí Minh'],
  ]);

  it('names each known unit and leaves dossier ids, task ids and unknown codes as they are', () => {
    const note = 'Kiểm tra và ký trích lục tại W-BEN-THANH, hạn 03/12/2026 17:00; chuyển HCMC-PC08, lên HCMC (việc TFN-261202-27JEQ0-T1, W-NOWHERE)';
    expect(withUnitNames(note, names)).toBe(
      'Kiểm tra và ký trích lục tại Phường Bến Thành, hạn 03/12/2026 17:00; chuyển Phòng Cảnh sát giao thông, lên Thành phố Hồ Chí Minh (việc TFN-261202-27JEQ0-T1, W-NOWHERE)',
    );
  });

  it('looks up only words shaped like unit codes, each once', () => {
    expect(codesIn(['Filed at W-BEN-THANH', null, 'W-BEN-THANH then HCMC-PC08 under HCMC', 'no code here'])).toEqual(['W-BEN-THANH', 'HCMC-PC08', 'HCMC']);
  });
});
