import { describe, expectTypeOf, it } from 'vitest';
import type * as Ecr from './ecr.generated.js';
import type * as EcrPublic from './ecrPublic.generated.js';
import type { InputOf, OperationName, OutputOf } from './operations.js';
import type { Transport, TransportRequest } from '../Transport.js';

describe('InputOf / OutputOf', () => {
  it('gives private ECR shapes by default', () => {
    expectTypeOf<InputOf<'DescribeImages'>>().toEqualTypeOf<Ecr.DescribeImagesRequest>();
    expectTypeOf<InputOf<'DescribeImages'>['repositoryName']>().toEqualTypeOf<string>();
    expectTypeOf<OutputOf<'DescribeImages'>['imageDetails']>().toEqualTypeOf<Ecr.ImageDetail[] | undefined>();
    expectTypeOf<NonNullable<OutputOf<'DescribeImages'>['imageDetails']>[number]['imagePushedAt']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<InputOf<'DescribeImages'>>().toHaveProperty('filter');
  });

  it('gives the public shapes for ecr-public', () => {
    expectTypeOf<InputOf<'DescribeImages', 'ecr-public'>>().toEqualTypeOf<EcrPublic.DescribeImagesRequest>();
    expectTypeOf<InputOf<'DescribeImages', 'ecr-public'>>().not.toHaveProperty('filter');
    expectTypeOf<OutputOf<'DescribeImages', 'ecr-public'>['imageDetails']>().toEqualTypeOf<EcrPublic.ImageDetail[] | undefined>();
    expectTypeOf<InputOf<'DescribeImageTags', 'ecr-public'>>().toHaveProperty('repositoryName');
  });

  it('is never for an operation the API does not have', () => {
    expectTypeOf<InputOf<'DescribeImageTags'>>().toBeNever();
    expectTypeOf<'NoSuchOperation'>().not.toExtend<OperationName>();
  });

  it('types Transport.send by operation', () => {
    const transport = {} as Transport;
    const call = () => transport.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'app' }, region: 'us-east-1' });
    expectTypeOf(call).returns.resolves.toEqualTypeOf<OutputOf<'ListImages'>>();
    expectTypeOf<TransportRequest<'ListImages', 'ecr'>['input']>().toEqualTypeOf<InputOf<'ListImages'>>();
  });
});
