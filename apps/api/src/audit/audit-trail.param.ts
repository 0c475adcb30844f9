import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** An id in a path: 1–200 printable characters, else 400 in the API's error shape. */
@Injectable()
export class AuditTrailParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (/^[\x21-\x7e]{1,200}$/.test(value)) return value;
    throw new BadRequestException({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: ['the id must be 1–200 printable characters without spaces'],
      errors: [{ field: 'id', messages: ['the id must be 1–200 printable characters without spaces'] }],
    });
  }
}
