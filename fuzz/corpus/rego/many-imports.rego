package p
import data.q0 as a0
import data.q1 as a1
import data.q2 as a2
import data.q3 as a3
import data.q4 as a4
import data.q5 as a5
import data.q6 as a6
import data.q7 as a7
import data.q8 as a8
import data.q9 as a9
import data.q10 as a10
import data.q11 as a11
import data.q12 as a12
import data.q13 as a13
import data.q14 as a14
import data.q15 as a15
import data.q16 as a16
import data.q17 as a17
import data.q18 as a18
import data.q19 as a19
import data.q20 as a20
import data.q21 as a21
import data.q22 as a22
import data.q23 as a23
import data.q24 as a24
import data.q25 as a25
import data.q26 as a26
import data.q27 as a27
import data.q28 as a28
import data.q29 as a29
import data.q30 as a30
import data.q31 as a31
import data.q32 as a32
import data.q33 as a33
import data.q34 as a34
import data.q35 as a35
import data.q36 as a36
import data.q37 as a37
import data.q38 as a38
import data.q39 as a39
import data.q40 as a40
import data.q41 as a41
import data.q42 as a42
import data.q43 as a43
import data.q44 as a44
import data.q45 as a45
import data.q46 as a46
import data.q47 as a47
import data.q48 as a48
import data.q49 as a49
import data.q50 as a50
import data.q51 as a51
import data.q52 as a52
import data.q53 as a53
import data.q54 as a54
import data.q55 as a55
import data.q56 as a56
import data.q57 as a57
import data.q58 as a58
import data.q59 as a59
import data.q60 as a60
import data.q61 as a61
import data.q62 as a62
import data.q63 as a63
import data.q64 as a64
import data.q65 as a65
import data.q66 as a66
import data.q67 as a67
import data.q68 as a68
import data.q69 as a69
import data.q70 as a70
import data.q71 as a71
import data.q72 as a72
import data.q73 as a73
import data.q74 as a74
import data.q75 as a75
import data.q76 as a76
import data.q77 as a77
import data.q78 as a78
import data.q79 as a79
import data.q80 as a80
import data.q81 as a81
import data.q82 as a82
import data.q83 as a83
import data.q84 as a84
import data.q85 as a85
import data.q86 as a86
import data.q87 as a87
import data.q88 as a88
import data.q89 as a89
import data.q90 as a90
import data.q91 as a91
import data.q92 as a92
import data.q93 as a93
import data.q94 as a94
import data.q95 as a95
import data.q96 as a96
import data.q97 as a97
import data.q98 as a98
import data.q99 as a99
import data.q100 as a100
import data.q101 as a101
import data.q102 as a102
import data.q103 as a103
import data.q104 as a104
import data.q105 as a105
import data.q106 as a106
import data.q107 as a107
import data.q108 as a108
import data.q109 as a109
import data.q110 as a110
import data.q111 as a111
import data.q112 as a112
import data.q113 as a113
import data.q114 as a114
import data.q115 as a115
import data.q116 as a116
import data.q117 as a117
import data.q118 as a118
import data.q119 as a119
import data.q120 as a120
import data.q121 as a121
import data.q122 as a122
import data.q123 as a123
import data.q124 as a124
import data.q125 as a125
import data.q126 as a126
import data.q127 as a127
import data.q128 as a128
import data.q129 as a129
import data.q130 as a130
import data.q131 as a131
import data.q132 as a132
import data.q133 as a133
import data.q134 as a134
import data.q135 as a135
import data.q136 as a136
import data.q137 as a137
import data.q138 as a138
import data.q139 as a139
import data.q140 as a140
import data.q141 as a141
import data.q142 as a142
import data.q143 as a143
import data.q144 as a144
import data.q145 as a145
import data.q146 as a146
import data.q147 as a147
import data.q148 as a148
import data.q149 as a149
import data.q150 as a150
import data.q151 as a151
import data.q152 as a152
import data.q153 as a153
import data.q154 as a154
import data.q155 as a155
import data.q156 as a156
import data.q157 as a157
import data.q158 as a158
import data.q159 as a159
import data.q160 as a160
import data.q161 as a161
import data.q162 as a162
import data.q163 as a163
import data.q164 as a164
import data.q165 as a165
import data.q166 as a166
import data.q167 as a167
import data.q168 as a168
import data.q169 as a169
import data.q170 as a170
import data.q171 as a171
import data.q172 as a172
import data.q173 as a173
import data.q174 as a174
import data.q175 as a175
import data.q176 as a176
import data.q177 as a177
import data.q178 as a178
import data.q179 as a179
import data.q180 as a180
import data.q181 as a181
import data.q182 as a182
import data.q183 as a183
import data.q184 as a184
import data.q185 as a185
import data.q186 as a186
import data.q187 as a187
import data.q188 as a188
import data.q189 as a189
import data.q190 as a190
import data.q191 as a191
import data.q192 as a192
import data.q193 as a193
import data.q194 as a194
import data.q195 as a195
import data.q196 as a196
import data.q197 as a197
import data.q198 as a198
import data.q199 as a199
import data.q200 as a200
import data.q201 as a201
import data.q202 as a202
import data.q203 as a203
import data.q204 as a204
import data.q205 as a205
import data.q206 as a206
import data.q207 as a207
import data.q208 as a208
import data.q209 as a209
import data.q210 as a210
import data.q211 as a211
import data.q212 as a212
import data.q213 as a213
import data.q214 as a214
import data.q215 as a215
import data.q216 as a216
import data.q217 as a217
import data.q218 as a218
import data.q219 as a219
import data.q220 as a220
import data.q221 as a221
import data.q222 as a222
import data.q223 as a223
import data.q224 as a224
import data.q225 as a225
import data.q226 as a226
import data.q227 as a227
import data.q228 as a228
import data.q229 as a229
import data.q230 as a230
import data.q231 as a231
import data.q232 as a232
import data.q233 as a233
import data.q234 as a234
import data.q235 as a235
import data.q236 as a236
import data.q237 as a237
import data.q238 as a238
import data.q239 as a239
import data.q240 as a240
import data.q241 as a241
import data.q242 as a242
import data.q243 as a243
import data.q244 as a244
import data.q245 as a245
import data.q246 as a246
import data.q247 as a247
import data.q248 as a248
import data.q249 as a249
import data.q250 as a250
import data.q251 as a251
import data.q252 as a252
import data.q253 as a253
import data.q254 as a254
import data.q255 as a255
import data.q256 as a256
import data.q257 as a257
import data.q258 as a258
import data.q259 as a259
import data.q260 as a260
import data.q261 as a261
import data.q262 as a262
import data.q263 as a263
import data.q264 as a264
import data.q265 as a265
import data.q266 as a266
import data.q267 as a267
import data.q268 as a268
import data.q269 as a269
import data.q270 as a270
import data.q271 as a271
import data.q272 as a272
import data.q273 as a273
import data.q274 as a274
import data.q275 as a275
import data.q276 as a276
import data.q277 as a277
import data.q278 as a278
import data.q279 as a279
import data.q280 as a280
import data.q281 as a281
import data.q282 as a282
import data.q283 as a283
import data.q284 as a284
import data.q285 as a285
import data.q286 as a286
import data.q287 as a287
import data.q288 as a288
import data.q289 as a289
import data.q290 as a290
import data.q291 as a291
import data.q292 as a292
import data.q293 as a293
import data.q294 as a294
import data.q295 as a295
import data.q296 as a296
import data.q297 as a297
import data.q298 as a298
import data.q299 as a299
import data.q300 as a300
import data.q301 as a301
import data.q302 as a302
import data.q303 as a303
import data.q304 as a304
import data.q305 as a305
import data.q306 as a306
import data.q307 as a307
import data.q308 as a308
import data.q309 as a309
import data.q310 as a310
import data.q311 as a311
import data.q312 as a312
import data.q313 as a313
import data.q314 as a314
import data.q315 as a315
import data.q316 as a316
import data.q317 as a317
import data.q318 as a318
import data.q319 as a319
import data.q320 as a320
import data.q321 as a321
import data.q322 as a322
import data.q323 as a323
import data.q324 as a324
import data.q325 as a325
import data.q326 as a326
import data.q327 as a327
import data.q328 as a328
import data.q329 as a329
import data.q330 as a330
import data.q331 as a331
import data.q332 as a332
import data.q333 as a333
import data.q334 as a334
import data.q335 as a335
import data.q336 as a336
import data.q337 as a337
import data.q338 as a338
import data.q339 as a339
import data.q340 as a340
import data.q341 as a341
import data.q342 as a342
import data.q343 as a343
import data.q344 as a344
import data.q345 as a345
import data.q346 as a346
import data.q347 as a347
import data.q348 as a348
import data.q349 as a349
import data.q350 as a350
import data.q351 as a351
import data.q352 as a352
import data.q353 as a353
import data.q354 as a354
import data.q355 as a355
import data.q356 as a356
import data.q357 as a357
import data.q358 as a358
import data.q359 as a359
import data.q360 as a360
import data.q361 as a361
import data.q362 as a362
import data.q363 as a363
import data.q364 as a364
import data.q365 as a365
import data.q366 as a366
import data.q367 as a367
import data.q368 as a368
import data.q369 as a369
import data.q370 as a370
import data.q371 as a371
import data.q372 as a372
import data.q373 as a373
import data.q374 as a374
import data.q375 as a375
import data.q376 as a376
import data.q377 as a377
import data.q378 as a378
import data.q379 as a379
import data.q380 as a380
import data.q381 as a381
import data.q382 as a382
import data.q383 as a383
import data.q384 as a384
import data.q385 as a385
import data.q386 as a386
import data.q387 as a387
import data.q388 as a388
import data.q389 as a389
import data.q390 as a390
import data.q391 as a391
import data.q392 as a392
import data.q393 as a393
import data.q394 as a394
import data.q395 as a395
import data.q396 as a396
import data.q397 as a397
import data.q398 as a398
import data.q399 as a399
import data.q400 as a400
import data.q401 as a401
import data.q402 as a402
import data.q403 as a403
import data.q404 as a404
import data.q405 as a405
import data.q406 as a406
import data.q407 as a407
import data.q408 as a408
import data.q409 as a409
import data.q410 as a410
import data.q411 as a411
import data.q412 as a412
import data.q413 as a413
import data.q414 as a414
import data.q415 as a415
import data.q416 as a416
import data.q417 as a417
import data.q418 as a418
import data.q419 as a419
import data.q420 as a420
import data.q421 as a421
import data.q422 as a422
import data.q423 as a423
import data.q424 as a424
import data.q425 as a425
import data.q426 as a426
import data.q427 as a427
import data.q428 as a428
import data.q429 as a429
import data.q430 as a430
import data.q431 as a431
import data.q432 as a432
import data.q433 as a433
import data.q434 as a434
import data.q435 as a435
import data.q436 as a436
import data.q437 as a437
import data.q438 as a438
import data.q439 as a439
import data.q440 as a440
import data.q441 as a441
import data.q442 as a442
import data.q443 as a443
import data.q444 as a444
import data.q445 as a445
import data.q446 as a446
import data.q447 as a447
import data.q448 as a448
import data.q449 as a449
import data.q450 as a450
import data.q451 as a451
import data.q452 as a452
import data.q453 as a453
import data.q454 as a454
import data.q455 as a455
import data.q456 as a456
import data.q457 as a457
import data.q458 as a458
import data.q459 as a459
import data.q460 as a460
import data.q461 as a461
import data.q462 as a462
import data.q463 as a463
import data.q464 as a464
import data.q465 as a465
import data.q466 as a466
import data.q467 as a467
import data.q468 as a468
import data.q469 as a469
import data.q470 as a470
import data.q471 as a471
import data.q472 as a472
import data.q473 as a473
import data.q474 as a474
import data.q475 as a475
import data.q476 as a476
import data.q477 as a477
import data.q478 as a478
import data.q479 as a479
import data.q480 as a480
import data.q481 as a481
import data.q482 as a482
import data.q483 as a483
import data.q484 as a484
import data.q485 as a485
import data.q486 as a486
import data.q487 as a487
import data.q488 as a488
import data.q489 as a489
import data.q490 as a490
import data.q491 as a491
import data.q492 as a492
import data.q493 as a493
import data.q494 as a494
import data.q495 as a495
import data.q496 as a496
import data.q497 as a497
import data.q498 as a498
import data.q499 as a499
r0 := a0
r1 := a1
r2 := a2
r3 := a3
r4 := a4
r5 := a5
r6 := a6
r7 := a7
r8 := a8
r9 := a9
r10 := a10
r11 := a11
r12 := a12
r13 := a13
r14 := a14
r15 := a15
r16 := a16
r17 := a17
r18 := a18
r19 := a19
r20 := a20
r21 := a21
r22 := a22
r23 := a23
r24 := a24
r25 := a25
r26 := a26
r27 := a27
r28 := a28
r29 := a29
r30 := a30
r31 := a31
r32 := a32
r33 := a33
r34 := a34
r35 := a35
r36 := a36
r37 := a37
r38 := a38
r39 := a39
r40 := a40
r41 := a41
r42 := a42
r43 := a43
r44 := a44
r45 := a45
r46 := a46
r47 := a47
r48 := a48
r49 := a49
r50 := a50
r51 := a51
r52 := a52
r53 := a53
r54 := a54
r55 := a55
r56 := a56
r57 := a57
r58 := a58
r59 := a59
r60 := a60
r61 := a61
r62 := a62
r63 := a63
r64 := a64
r65 := a65
r66 := a66
r67 := a67
r68 := a68
r69 := a69
r70 := a70
r71 := a71
r72 := a72
r73 := a73
r74 := a74
r75 := a75
r76 := a76
r77 := a77
r78 := a78
r79 := a79
r80 := a80
r81 := a81
r82 := a82
r83 := a83
r84 := a84
r85 := a85
r86 := a86
r87 := a87
r88 := a88
r89 := a89
r90 := a90
r91 := a91
r92 := a92
r93 := a93
r94 := a94
r95 := a95
r96 := a96
r97 := a97
r98 := a98
r99 := a99
r100 := a100
r101 := a101
r102 := a102
r103 := a103
r104 := a104
r105 := a105
r106 := a106
r107 := a107
r108 := a108
r109 := a109
r110 := a110
r111 := a111
r112 := a112
r113 := a113
r114 := a114
r115 := a115
r116 := a116
r117 := a117
r118 := a118
r119 := a119
r120 := a120
r121 := a121
r122 := a122
r123 := a123
r124 := a124
r125 := a125
r126 := a126
r127 := a127
r128 := a128
r129 := a129
r130 := a130
r131 := a131
r132 := a132
r133 := a133
r134 := a134
r135 := a135
r136 := a136
r137 := a137
r138 := a138
r139 := a139
r140 := a140
r141 := a141
r142 := a142
r143 := a143
r144 := a144
r145 := a145
r146 := a146
r147 := a147
r148 := a148
r149 := a149
r150 := a150
r151 := a151
r152 := a152
r153 := a153
r154 := a154
r155 := a155
r156 := a156
r157 := a157
r158 := a158
r159 := a159
r160 := a160
r161 := a161
r162 := a162
r163 := a163
r164 := a164
r165 := a165
r166 := a166
r167 := a167
r168 := a168
r169 := a169
r170 := a170
r171 := a171
r172 := a172
r173 := a173
r174 := a174
r175 := a175
r176 := a176
r177 := a177
r178 := a178
r179 := a179
r180 := a180
r181 := a181
r182 := a182
r183 := a183
r184 := a184
r185 := a185
r186 := a186
r187 := a187
r188 := a188
r189 := a189
r190 := a190
r191 := a191
r192 := a192
r193 := a193
r194 := a194
r195 := a195
r196 := a196
r197 := a197
r198 := a198
r199 := a199
r200 := a200
r201 := a201
r202 := a202
r203 := a203
r204 := a204
r205 := a205
r206 := a206
r207 := a207
r208 := a208
r209 := a209
r210 := a210
r211 := a211
r212 := a212
r213 := a213
r214 := a214
r215 := a215
r216 := a216
r217 := a217
r218 := a218
r219 := a219
r220 := a220
r221 := a221
r222 := a222
r223 := a223
r224 := a224
r225 := a225
r226 := a226
r227 := a227
r228 := a228
r229 := a229
r230 := a230
r231 := a231
r232 := a232
r233 := a233
r234 := a234
r235 := a235
r236 := a236
r237 := a237
r238 := a238
r239 := a239
r240 := a240
r241 := a241
r242 := a242
r243 := a243
r244 := a244
r245 := a245
r246 := a246
r247 := a247
r248 := a248
r249 := a249
r250 := a250
r251 := a251
r252 := a252
r253 := a253
r254 := a254
r255 := a255
r256 := a256
r257 := a257
r258 := a258
r259 := a259
r260 := a260
r261 := a261
r262 := a262
r263 := a263
r264 := a264
r265 := a265
r266 := a266
r267 := a267
r268 := a268
r269 := a269
r270 := a270
r271 := a271
r272 := a272
r273 := a273
r274 := a274
r275 := a275
r276 := a276
r277 := a277
r278 := a278
r279 := a279
r280 := a280
r281 := a281
r282 := a282
r283 := a283
r284 := a284
r285 := a285
r286 := a286
r287 := a287
r288 := a288
r289 := a289
r290 := a290
r291 := a291
r292 := a292
r293 := a293
r294 := a294
r295 := a295
r296 := a296
r297 := a297
r298 := a298
r299 := a299
r300 := a300
r301 := a301
r302 := a302
r303 := a303
r304 := a304
r305 := a305
r306 := a306
r307 := a307
r308 := a308
r309 := a309
r310 := a310
r311 := a311
r312 := a312
r313 := a313
r314 := a314
r315 := a315
r316 := a316
r317 := a317
r318 := a318
r319 := a319
r320 := a320
r321 := a321
r322 := a322
r323 := a323
r324 := a324
r325 := a325
r326 := a326
r327 := a327
r328 := a328
r329 := a329
r330 := a330
r331 := a331
r332 := a332
r333 := a333
r334 := a334
r335 := a335
r336 := a336
r337 := a337
r338 := a338
r339 := a339
r340 := a340
r341 := a341
r342 := a342
r343 := a343
r344 := a344
r345 := a345
r346 := a346
r347 := a347
r348 := a348
r349 := a349
r350 := a350
r351 := a351
r352 := a352
r353 := a353
r354 := a354
r355 := a355
r356 := a356
r357 := a357
r358 := a358
r359 := a359
r360 := a360
r361 := a361
r362 := a362
r363 := a363
r364 := a364
r365 := a365
r366 := a366
r367 := a367
r368 := a368
r369 := a369
r370 := a370
r371 := a371
r372 := a372
r373 := a373
r374 := a374
r375 := a375
r376 := a376
r377 := a377
r378 := a378
r379 := a379
r380 := a380
r381 := a381
r382 := a382
r383 := a383
r384 := a384
r385 := a385
r386 := a386
r387 := a387
r388 := a388
r389 := a389
r390 := a390
r391 := a391
r392 := a392
r393 := a393
r394 := a394
r395 := a395
r396 := a396
r397 := a397
r398 := a398
r399 := a399
r400 := a400
r401 := a401
r402 := a402
r403 := a403
r404 := a404
r405 := a405
r406 := a406
r407 := a407
r408 := a408
r409 := a409
r410 := a410
r411 := a411
r412 := a412
r413 := a413
r414 := a414
r415 := a415
r416 := a416
r417 := a417
r418 := a418
r419 := a419
r420 := a420
r421 := a421
r422 := a422
r423 := a423
r424 := a424
r425 := a425
r426 := a426
r427 := a427
r428 := a428
r429 := a429
r430 := a430
r431 := a431
r432 := a432
r433 := a433
r434 := a434
r435 := a435
r436 := a436
r437 := a437
r438 := a438
r439 := a439
r440 := a440
r441 := a441
r442 := a442
r443 := a443
r444 := a444
r445 := a445
r446 := a446
r447 := a447
r448 := a448
r449 := a449
r450 := a450
r451 := a451
r452 := a452
r453 := a453
r454 := a454
r455 := a455
r456 := a456
r457 := a457
r458 := a458
r459 := a459
r460 := a460
r461 := a461
r462 := a462
r463 := a463
r464 := a464
r465 := a465
r466 := a466
r467 := a467
r468 := a468
r469 := a469
r470 := a470
r471 := a471
r472 := a472
r473 := a473
r474 := a474
r475 := a475
r476 := a476
r477 := a477
r478 := a478
r479 := a479
r480 := a480
r481 := a481
r482 := a482
r483 := a483
r484 := a484
r485 := a485
r486 := a486
r487 := a487
r488 := a488
r489 := a489
r490 := a490
r491 := a491
r492 := a492
r493 := a493
r494 := a494
r495 := a495
r496 := a496
r497 := a497
r498 := a498
r499 := a499
