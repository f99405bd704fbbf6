import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { Config, type AppConfig } from '../config/config';
import { EvidenceController } from './evidence.controller';
import { EvidenceService } from './evidence.service';
import { FileStorage, LocalDiskStorage } from './file-storage';
import { PdfInspector, PdfInspectorPool } from './pdf-inspector';
import { UploadGuardInterceptor } from './upload.interceptor';

@Module({
  imports: [
    // Memory storage (no `dest`): the bytes are checked and cleaned before anything is written.
    MulterModule.registerAsync({
      inject: [Config.token],
      useFactory: (c: AppConfig) => ({
        limits: { fileSize: c.EVIDENCE_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 50 },
        // wx.uploadFile sends UTF-8 file names; busboy's default would read them as Latin-1.
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [EvidenceController],
  providers: [
    EvidenceService,
    UploadGuardInterceptor,
    {
      provide: FileStorage,
      useFactory: (c: AppConfig) => new LocalDiskStorage(c.EVIDENCE_DIR),
      inject: [Config.token],
    },
    // Closed with the app (onModuleDestroy): its threads end with it.
    { provide: PdfInspector, useFactory: () => new PdfInspectorPool() },
  ],
  exports: [EvidenceService, FileStorage],
})
export class EvidenceModule {}
