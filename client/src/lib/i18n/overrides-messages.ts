/**
 * The overrides' words (issue 24: the Inventory view's dialog and badge, the Overrides page): messages.ts merges
 * them into `en` and `id`. Indonesian calls an override "penyesuaian", as the server's error words do.
 */
import type { OverrideKind } from '$contract/override-rules.js';

export type OverridesKey =
  | `ovr.kind.${OverrideKind}`
  | `ovr.unit.${OverrideKind}`
  | `ovr.short.${OverrideKind}`
  | `ovr.${
      | 'nav'
      | 'title'
      | 'help'
      | 'filter.part'
      | 'filter.site'
      | 'filter.kind'
      | 'filter.kind.all'
      | 'filter.expired'
      | 'col.part'
      | 'col.site'
      | 'col.kind'
      | 'col.value'
      | 'col.reason'
      | 'col.by'
      | 'col.expires'
      | 'site.all'
      | 'expires.never'
      | 'expired'
      | 'by.none'
      | 'total'
      | 'total.one'
      | 'empty'
      | 'failed'
      | 'remove'
      | 'remove.confirm'
      | 'remove.subject'
      | 'remove.yes'
      | 'remove.failed'
      | 'import'
      | 'import.help'
      | 'import.busy'
      | 'import.done'
      | 'import.failed'
      | 'set'
      | 'set.title'
      | 'dialog.title'
      | 'current'
      | 'none'
      | 'field.kind'
      | 'field.value'
      | 'field.site'
      | 'field.site.this'
      | 'field.site.all'
      | 'field.reason'
      | 'field.reason.help'
      | 'field.expires'
      | 'field.expires.help'
      | 'save'
      | 'close'
      | 'saved'
      | 'replan'
      | 'replan.hint'
      | 'replanned'
      | 'bad.reason'
      | 'bad.value'
      | 'bad.level'
      | 'bad.whole'
      | 'bad.expires'
      | 'bad.part'
      | 'badge'
      | 'why'
      | 'why.system'
      | 'system'}`;

export const overridesEn: Record<OverridesKey, string> = {
  'ovr.kind.forecast_per_period': 'Forecast per period',
  'ovr.kind.order_up_to': 'Order-up-to level',
  'ovr.kind.service_level': 'Service level',
  'ovr.short.forecast_per_period': 'forecast',
  'ovr.short.order_up_to': 'level',
  'ovr.short.service_level': 'service',
  'ovr.unit.forecast_per_period': 'units per period',
  'ovr.unit.order_up_to': 'units',
  'ovr.unit.service_level': '% (50 – 99.9)',
  'ovr.nav': 'Overrides',
  'ovr.title': 'Overrides',
  'ovr.help':
    'A planner’s judgment the history cannot know (a contract starting, a site closing), with the reason. Every job and every re-plan applies the overrides in force; the plan keeps the system’s values beside them.',
  'ovr.filter.part': 'Part number',
  'ovr.filter.site': 'Site',
  'ovr.filter.kind': 'Kind',
  'ovr.filter.kind.all': 'All kinds',
  'ovr.filter.expired': 'Include expired',
  'ovr.col.part': 'Part',
  'ovr.col.site': 'Site',
  'ovr.col.kind': 'Kind',
  'ovr.col.value': 'Value',
  'ovr.col.reason': 'Reason',
  'ovr.col.by': 'Set by',
  'ovr.col.expires': 'Expires',
  'ovr.site.all': 'every site',
  'ovr.expires.never': 'until removed',
  'ovr.expired': 'expired',
  'ovr.by.none': 'single-user install',
  'ovr.total': '{n} overrides',
  'ovr.total.one': '1 override',
  'ovr.empty': 'No overrides.',
  'ovr.failed': 'The overrides could not be loaded:',
  'ovr.remove': 'Remove',
  'ovr.remove.confirm': 'Remove this override? The next job or re-plan uses the system’s value again.',
  'ovr.remove.subject': 'Override:',
  'ovr.remove.yes': 'Remove override',
  'ovr.remove.failed': 'The override could not be removed:',
  'ovr.import': 'Import a file',
  'ovr.import.help':
    'CSV or XLSX with the columns partnumber, site_code, kind, value, reason, expires_on (blank site: every site). Every row is set, or none.',
  'ovr.import.busy': 'Importing…',
  'ovr.import.done': '{rows} overrides set from {file} ({replaced} replaced one already there).',
  'ovr.import.failed': 'The file was not imported:',
  'ovr.set': 'Override…',
  'ovr.set.title': 'Set or remove a planner’s override for this part',
  'ovr.dialog.title': 'Override {part} @ {site}',
  'ovr.current': 'Overrides in force',
  'ovr.none': 'None: the plan is the system’s.',
  'ovr.field.kind': 'What to override',
  'ovr.field.value': 'Value',
  'ovr.field.site': 'Where',
  'ovr.field.site.this': 'Only at site {site}',
  'ovr.field.site.all': 'At every site of the part',
  'ovr.field.reason': 'Reason (required)',
  'ovr.field.reason.help': '3 to 500 characters saying why: it is kept, and judged when the actuals come.',
  'ovr.field.expires': 'Expires on (optional)',
  'ovr.field.expires.help': 'The last day it applies; blank: until removed.',
  'ovr.save': 'Set override',
  'ovr.close': 'Close',
  'ovr.saved': 'Override set. The plan shows it once re-planned.',
  'ovr.replan': 'Re-plan now',
  'ovr.replan.hint': 'The overrides changed: re-plan to see them in this plan.',
  'ovr.replanned': 'Plan re-made; rows with an override: {n}.',
  'ovr.bad.reason': 'Give a reason: 3 to 500 characters.',
  'ovr.bad.value': 'The value must be a number, 0 or more.',
  'ovr.bad.level': 'A service level is between 50 and 99.9 %.',
  'ovr.bad.whole': 'An order-up-to level is a whole number of units, 0 or more.',
  'ovr.bad.expires': 'The expiry must be a date, today or later.',
  'ovr.bad.part': 'The part or site is not valid.',
  'ovr.badge': 'Overridden: {kind}. Reason: {reason}',
  'ovr.why': 'Overridden ({kind}). Reason: {reason}',
  'ovr.why.system': 'The system planned a mean of {mean} and a level of {out}.',
  'ovr.system': 'system {v}',
};

export const overridesId: Record<OverridesKey, string> = {
  'ovr.kind.forecast_per_period': 'Forecast per periode',
  'ovr.kind.order_up_to': 'Level order-up-to',
  'ovr.kind.service_level': 'Service level',
  'ovr.short.forecast_per_period': 'forecast',
  'ovr.short.order_up_to': 'level',
  'ovr.short.service_level': 'service',
  'ovr.unit.forecast_per_period': 'unit per periode',
  'ovr.unit.order_up_to': 'unit',
  'ovr.unit.service_level': '% (50 – 99,9)',
  'ovr.nav': 'Penyesuaian',
  'ovr.title': 'Penyesuaian',
  'ovr.help':
    'Penilaian planner yang tidak diketahui histori (kontrak yang mulai, site yang tutup), beserta alasannya. Setiap job dan setiap hitung ulang menerapkan penyesuaian yang berlaku; rencana tetap menyimpan nilai sistem di sampingnya.',
  'ovr.filter.part': 'Nomor part',
  'ovr.filter.site': 'Site',
  'ovr.filter.kind': 'Jenis',
  'ovr.filter.kind.all': 'Semua jenis',
  'ovr.filter.expired': 'Termasuk yang kedaluwarsa',
  'ovr.col.part': 'Part',
  'ovr.col.site': 'Site',
  'ovr.col.kind': 'Jenis',
  'ovr.col.value': 'Nilai',
  'ovr.col.reason': 'Alasan',
  'ovr.col.by': 'Dibuat oleh',
  'ovr.col.expires': 'Berakhir',
  'ovr.site.all': 'semua site',
  'ovr.expires.never': 'sampai dihapus',
  'ovr.expired': 'kedaluwarsa',
  'ovr.by.none': 'instalasi satu pengguna',
  'ovr.total': '{n} penyesuaian',
  'ovr.total.one': '1 penyesuaian',
  'ovr.empty': 'Belum ada penyesuaian.',
  'ovr.failed': 'Penyesuaian tidak dapat dimuat:',
  'ovr.remove': 'Hapus',
  'ovr.remove.confirm': 'Hapus penyesuaian ini? Job atau hitung ulang berikutnya kembali memakai nilai sistem.',
  'ovr.remove.subject': 'Penyesuaian:',
  'ovr.remove.yes': 'Hapus penyesuaian',
  'ovr.remove.failed': 'Penyesuaian tidak dapat dihapus:',
  'ovr.import': 'Impor file',
  'ovr.import.help':
    'CSV atau XLSX dengan kolom partnumber, site_code, kind, value, reason, expires_on (site kosong: semua site). Semua baris diterapkan, atau tidak sama sekali.',
  'ovr.import.busy': 'Mengimpor…',
  'ovr.import.done': '{rows} penyesuaian diterapkan dari {file} ({replaced} menggantikan yang sudah ada).',
  'ovr.import.failed': 'File tidak diimpor:',
  'ovr.set': 'Sesuaikan…',
  'ovr.set.title': 'Buat atau hapus penyesuaian planner untuk part ini',
  'ovr.dialog.title': 'Sesuaikan {part} @ {site}',
  'ovr.current': 'Penyesuaian yang berlaku',
  'ovr.none': 'Tidak ada: rencana ini dari sistem.',
  'ovr.field.kind': 'Yang disesuaikan',
  'ovr.field.value': 'Nilai',
  'ovr.field.site': 'Di mana',
  'ovr.field.site.this': 'Hanya di site {site}',
  'ovr.field.site.all': 'Di semua site part ini',
  'ovr.field.reason': 'Alasan (wajib)',
  'ovr.field.reason.help':
    '3 sampai 500 karakter yang menjelaskan kenapa: disimpan, dan dinilai saat realisasi datang.',
  'ovr.field.expires': 'Berakhir pada (opsional)',
  'ovr.field.expires.help': 'Hari terakhir berlaku; kosong: sampai dihapus.',
  'ovr.save': 'Simpan penyesuaian',
  'ovr.close': 'Tutup',
  'ovr.saved': 'Penyesuaian disimpan. Rencana menampilkannya setelah dihitung ulang.',
  'ovr.replan': 'Hitung ulang sekarang',
  'ovr.replan.hint': 'Penyesuaian berubah: hitung ulang untuk melihatnya di rencana ini.',
  'ovr.replanned': 'Rencana dihitung ulang: {n} baris dengan penyesuaian.',
  'ovr.bad.reason': 'Isi alasan: 3 sampai 500 karakter.',
  'ovr.bad.value': 'Nilai harus berupa angka, 0 atau lebih.',
  'ovr.bad.level': 'Service level antara 50 dan 99,9 %.',
  'ovr.bad.whole': 'Level order-up-to berupa bilangan bulat unit, 0 atau lebih.',
  'ovr.bad.expires': 'Tanggal berakhir harus tanggal hari ini atau sesudahnya.',
  'ovr.bad.part': 'Part atau site tidak valid.',
  'ovr.badge': 'Disesuaikan: {kind}. Alasan: {reason}',
  'ovr.why': 'Disesuaikan ({kind}). Alasan: {reason}',
  'ovr.why.system': 'Sistem merencanakan rata-rata {mean} dan level {out}.',
  'ovr.system': 'sistem {v}',
};
