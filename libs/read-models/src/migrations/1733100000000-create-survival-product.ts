import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The running product of a Kaplan–Meier curve, S(t) = Π (1 − dᵢ/nᵢ), computed in SQL as a window
 * aggregate. exp(sum(ln(…))) would be faster to write but not bit-identical to multiplying in
 * order; float8mul from an initial 1 performs exactly the multiplications kaplanMeier() does in
 * libs/domain/src/metrics/kaplan-meier.ts, so the median found in SQL is the one defined there.
 */
export class CreateSurvivalProduct1733100000000 implements MigrationInterface {
  name = 'CreateSurvivalProduct1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE AGGREGATE survival_product(float8) (SFUNC = float8mul, STYPE = float8, INITCOND = '1')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP AGGREGATE survival_product(float8)`);
  }
}
