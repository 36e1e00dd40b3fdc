import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { OverrideKind } from '../contract/override-rules.js';

/** An overrides row as stored (site_code '' = every site of the part). */
export interface OverrideRow {
  id?: number;
  partnumber: string;
  site_code: string;
  kind: OverrideKind;
  value: number;
  reason: string;
  expires_on: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string;
}

export type OverrideModelStatic = ModelStatic<Model<OverrideRow, OverrideRow> & OverrideRow>;

export function defineOverrideModel(sequelize: Sequelize): OverrideModelStatic {
  const str = (n: number, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });
  return sequelize.define(
    'Override',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      partnumber: str(100),
      site_code: str(100),
      kind: str(24),
      value: { type: DataTypes.DOUBLE, allowNull: false },
      reason: str(500),
      expires_on: str(10, true),
      created_by: str(32, true),
      created_by_name: str(64, true),
      created_at: str(32),
    },
    { timestamps: false, tableName: 'overrides' },
  ) as OverrideModelStatic;
}
