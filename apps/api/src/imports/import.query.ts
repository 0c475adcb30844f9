import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBooleanString, IsIn, IsJSON, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IMPORT_FORMATS, ImportFormatName } from '@funnel/importers/mapping/import-mapping';

/** What an upload is: its format, what to call the file in the events, a mapping, a dry run. */
export class ImportQuery {
  @ApiProperty({ enum: IMPORT_FORMATS, description: 'maven, salesforce-history or stage-changes (see docs/importers.md).' })
  @IsIn(IMPORT_FORMATS)
  format!: ImportFormatName;

  @ApiPropertyOptional({ description: 'The file name recorded in every event (importedFrom.file). Default: upload.csv.', example: 'sales_pipeline.csv' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  file?: string;

  @ApiPropertyOptional({ description: 'A mapping (JSON) laid over the format’s defaults: stages, currency, industry, region, team, blankAccount, undatedAt, teams.' })
  @IsOptional()
  @IsJSON()
  mapping?: string;

  @ApiPropertyOptional({ description: 'true: validate and count, append nothing.', enum: ['true', 'false'] })
  @IsOptional()
  @IsBooleanString()
  dryRun?: string;
}
